# bench/lib.sh — the throwaway cluster of the benchmark scripts
# (bench/run.sh, bench/tenants.sh, bench/tokens.sh).  Source it after
# setting PG_CONFIG and defining log, then call
#
#   bench_cluster PREFIX [-c NAME=VALUE ...]
#
# which initdb's and starts a cluster in a new directory /tmp/PREFIX.XXXXXX
# with the given settings, listening on a Unix socket in that directory
# only (never a TCP port), creates the database bench, and stops and
# removes it all when the calling script exits.  It sets $bindir (the
# server's programs) and $work (the directory, with a world-writable
# $work/tmp for files the server reads).  Run as root, the server runs as
# postgres; run as another user, as that user.  scripts/cluster.sh is the
# plainer cluster of the demo and the tests: this one also runs unprivileged
# and takes the benchmark's settings.

# as_pg runs a command as postgres when run as root, from /: postgres may
# not be able to enter the checkout (a clone under /root)
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# psqlb runs psql on the database bench, stopping at the first error
psqlb() { as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$work" -d bench "$@"; }

# bench_cluster_stop stops the cluster if it started and removes its
# directory (the EXIT trap)
bench_cluster_stop() {
	if [ "$bench_started" = 1 ]; then
		as_pg "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}

# bench_cluster PREFIX [SETTINGS...] creates and starts the cluster (see above)
bench_cluster() {
	local prefix=$1
	shift
	bindir=$("$PG_CONFIG" --bindir)
	work=$(mktemp -d "/tmp/$prefix.XXXXXX")
	chmod 755 "$work"
	if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; fi
	bench_started=0
	trap bench_cluster_stop EXIT
	mkdir -p "$work/tmp" && chmod 777 "$work/tmp"

	log "cluster in $work"
	as_pg "$bindir/initdb" -D "$work/data" -A trust -U postgres --no-sync >/dev/null
	as_pg "$bindir/pg_ctl" -D "$work/data" -l "$work/log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories=$work $*" start >/dev/null
	bench_started=1
	as_pg "$bindir/psql" -X -q -h "$work" -d postgres -c "CREATE DATABASE bench" >/dev/null
}
