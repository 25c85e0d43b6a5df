# scripts/cluster.sh — a throwaway PostgreSQL cluster, for the scripts
# that need one (scripts/demo.sh, test/leak.sh).  Source it, then call
#
#   cluster_start NAME
#
# which initdb's and starts a cluster as the postgres user in a new
# directory /tmp/paragon_perm_NAME.XXXXXX, listening on a Unix socket in
# that directory only (no TCP port that could collide), and stops and
# removes it when the calling script exits.  It sets $bindir (the server's
# programs, from $PG_CONFIG or pg_config) and $work (the directory: psql
# -h "$work"), and defines as_pg, which runs a command as postgres.

# as_pg runs a command as postgres, from /: postgres may not be able to
# enter the checkout (a clone under /root).
as_pg() { (cd / && runuser -u postgres -- "$@"); }

# cluster_stop stops the cluster and removes its directory (the EXIT trap).
cluster_stop() {
	as_pg "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}

# cluster_start NAME creates and starts the cluster (see above).
cluster_start() {
	bindir=$("${PG_CONFIG:-pg_config}" --bindir)
	work=$(mktemp -d "/tmp/paragon_perm_$1.XXXXXX")
	chown postgres "$work"
	trap cluster_stop EXIT
	as_pg "$bindir/initdb" -D "$work/data" -A trust -U postgres >/dev/null
	as_pg "$bindir/pg_ctl" -D "$work/data" -l "$work/log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$work'" start >/dev/null
}
