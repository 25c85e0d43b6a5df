# test/citus-cluster.sh — a throwaway Citus cluster on this machine, for
# test/suite-citus.sh and bench/citus.sh.  Source it, then call
#
#   citus_start NAME
#
# which creates /tmp/paragon_perm_NAME.XXXXXX ($work) holding three
# PostgreSQL servers run as the postgres user, a coordinator (node 1) and
# two workers (nodes 2 and 3), each listening on a Unix socket in its own
# directory $work/nodeN only (no TCP: the port numbers only name the
# sockets), with shared_preload_libraries = 'citus'; creates the database
# "app" with the citus extension on each, registers the workers with the
# coordinator, and stops and removes everything when the calling script
# exits.  Needs Citus installed in the PostgreSQL that $PG_CONFIG (or
# pg_config) names.  Defines:
#
#   as_pg CMD...          run CMD as postgres, from /
#   node_psql N [ARGS]    psql as postgres to node N's database "app"
#   $bindir, $work, $port1 $port2 $port3

# as_pg runs a command as postgres, from /: postgres may not be able to
# enter the checkout (a clone under /root).
as_pg() { (cd / && runuser -u postgres -- "$@"); }

# citus_stop stops the three nodes and removes the directory (the EXIT trap).
citus_stop() {
	local n
	for n in 1 2 3; do
		[ -f "$work/node$n/data/postmaster.pid" ] &&
			as_pg "$bindir/pg_ctl" -D "$work/node$n/data" -m immediate stop >/dev/null 2>&1
	done
	rm -rf "$work"
}

# node_psql N [ARGS...] runs psql as postgres on node N, database app.
node_psql() {
	local n=$1 port
	shift
	eval "port=\$port$n"
	as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/node$n" -p "$port" -d app "$@"
}

# citus_start NAME creates and starts the cluster (see above).
citus_start() {
	local n d port
	bindir=$("${PG_CONFIG:-pg_config}" --bindir)
	work=$(mktemp -d "/tmp/paragon_perm_$1.XXXXXX")
	chown postgres "$work"
	trap citus_stop EXIT
	# distinct port numbers, though each socket has a directory of its own
	port1=$((40000 + ($$ % 8000) * 3)); port2=$((port1 + 1)); port3=$((port1 + 2))
	for n in 1 2 3; do
		d=$work/node$n
		eval "port=\$port$n"
		mkdir "$d" && chown postgres "$d"
		as_pg "$bindir/initdb" -D "$d/data" -A trust -U postgres >/dev/null
		cat >>"$d/data/postgresql.conf" <<-CONF
			port = $port
			listen_addresses = ''
			unix_socket_directories = '$d'
			shared_preload_libraries = 'citus,paragon_perm'
			max_connections = 60
			fsync = off
			synchronous_commit = off
			full_page_writes = off
		CONF
		as_pg "$bindir/pg_ctl" -D "$d/data" -l "$d/log" -w start >/dev/null
		as_pg "$bindir/createdb" -h "$d" -p "$port" app
		node_psql "$n" -c "CREATE EXTENSION citus" >/dev/null
	done
	node_psql 1 >/dev/null <<-SQL
		SELECT citus_set_coordinator_host('$work/node1', $port1);
		SELECT citus_add_node('$work/node2', $port2);
		SELECT citus_add_node('$work/node3', $port3);
	SQL
}
