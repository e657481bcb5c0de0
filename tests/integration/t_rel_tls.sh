# TLS is verified: a server with a self-signed certificate is refused by default (an error
# observation per ETL, exit 3), accepted once ca_file names that certificate, refused again
# with an unrelated ca_file, and refused when the certificate names another host.
# The server is `openssl s_server -WWW` (files under a folder, HTTP/1.0) on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
command -v openssl >/dev/null || fail "openssl (Debian package openssl) is needed"
NOW=$(date +%s) # certificates are valid from now: the fake clock runs ahead of it
TOKEN=tok-tls-$$

# cert NAME SAN: a self-signed certificate and key in $T/NAME.{pem,key}.
cert() {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$1.key" -out "$T/$1.pem" -days 30 \
        -subj "/CN=$1" -addext "subjectAltName=$2" 2>"$T/openssl.err" ||
        fail "openssl req: $(cat "$T/openssl.err")"
}
cert good IP:127.0.0.1
cert other IP:127.0.0.1
cert wrongname DNS:co.example.invalid

W=$T/www/opt/api/v1/backend/etls
mkdir -p "$W/1" "$W/2"
echo '{"status":"WAITING","exit_code":"OK","task_id":1001,"last_exec_ts":"2026-11-22T23:00:00Z"}' >"$W/1/status"
echo '{"status":"RUNNING","task_id":1002,"last_exec_ts":"2026-11-22T23:30:00Z"}' >"$W/2/status"

# serve NAME: an HTTPS server with that certificate; sets TLS_URL.
serve() {
    (cd "$T/www" && exec openssl s_server -accept 127.0.0.1:0 -cert "$T/$1.pem" -key "$T/$1.key" \
        -WWW >"$T/$1.out" 2>"$T/$1.err") &
    track $!
    wait_until 10 grep -q '^ACCEPT 127.0.0.1:' "$T/$1.out"
    TLS_URL=https://127.0.0.1:$(sed -n 's/^ACCEPT 127.0.0.1:\([0-9]*\)$/\1/p' "$T/$1.out")
}
serve good
GOOD=$TLS_URL
serve wrongname
WRONG=$TLS_URL

secret_file "$T/token" "$TOKEN"
DB=$T/h.db
conf() { # conf FILE URL [ca_file]
    printf '[collect]\ndb = %s\nconcurrency = 1\ntimeout = 5\n[instance tls]\nurl = %s\ntoken_file = %s\netls = 1, 2\n' \
        "$DB" "$2" "$T/token" >"$1"
    [ -z "${3:-}" ] || echo "ca_file = $3" >>"$1"
}
err_of() { sql "SELECT group_concat(coalesce(error, (SELECT text FROM code WHERE id = status)), ';') FROM (SELECT s.* FROM sample s JOIN etl e ON e.id = etl_ref WHERE s.first_seen + s.span_s = $1 ORDER BY e.etl_id)"; }

conf "$T/default.conf" "$GOOD"
collect_at $((NOW + 300)) -c "$T/default.conf"
expect_eq "self-signed refused by default" "$RC" 3
case "$(err_of $((NOW + 300)))" in
*"certificate not trusted"*"a private CA: set ca_file"*\;*certificate*) ;;
*) fail "self-signed: expected certificate errors naming ca_file, got [$(err_of $((NOW + 300)))]" ;;
esac

conf "$T/ca.conf" "$GOOD" "$T/good.pem"
collect_at $((NOW + 600)) -c "$T/ca.conf"
expect_eq "accepted with ca_file" "$RC" 0
expect_eq "statuses over TLS" "$(err_of $((NOW + 600)))" "WAITING;RUNNING"

conf "$T/other.conf" "$GOOD" "$T/other.pem"
collect_at $((NOW + 900)) -c "$T/other.conf"
expect_eq "unrelated ca_file refused" "$RC" 3

conf "$T/wrong.conf" "$WRONG" "$T/wrongname.pem"
collect_at $((NOW + 1200)) -c "$T/wrong.conf"
expect_eq "certificate for another host refused" "$RC" 3
case "$(err_of $((NOW + 1200)))" in
*certificate*\;*certificate* | *"SSL peer"*) ;;
*) fail "host name mismatch: got [$(err_of $((NOW + 1200)))]" ;;
esac
expect_eq "passes refused by TLS say so, the one over TLS says nothing" \
    "$(sql "SELECT group_concat((started - $NOW) || ':' || coalesce(error_class, '-'), ' ') FROM (SELECT * FROM pass ORDER BY started)")" \
    "300:tls 600:- 900:tls 1200:tls"

# https:// on a port that speaks plain HTTP (the fake CO server): said in plain words.
printf 'token %s\netl 1 period=3600 duration=60 outcomes=OK\n' "$TOKEN" >"$T/plain.scn"
start_fakeco "$T/plain.scn"
conf "$T/plain.conf" "https://127.0.0.1:$PORT"
collect_at $((NOW + 1500)) -c "$T/plain.conf"
expect_eq "https on a plain port refused" "$RC" 3
grep -q "the server does not speak TLS on this port (an https URL for a plain-HTTP port? check the URL's scheme and port)" \
    "$T/collect.err" || fail "https on a plain port: not said plainly: $(tail -n 2 "$T/collect.err")"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
echo "tls ok"
