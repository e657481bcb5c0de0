#!/bin/sh
# The collector a user would write without etlhist: one pass over ETLs FIRST..LAST with a
# loop of curl, jq and sqlite3, one row per poll (the baseline of benchmark row 2).
#   sh shellpoll.sh URL HEADER_FILE DB FIRST LAST
# HEADER_FILE holds "Authorization: Bearer ..." so that the token is not on argv.
set -eu
url=$1
hdr=$2
db=$3
first=$4
last=$5
sqlite3 "$db" "CREATE TABLE IF NOT EXISTS poll (etl_id INTEGER NOT NULL,
    polled_at INTEGER NOT NULL, status TEXT, exit_code TEXT, last_exec_ts INTEGER,
    task_id INTEGER, http_code INTEGER, error TEXT);
  CREATE INDEX IF NOT EXISTS poll_etl_time ON poll (etl_id, polled_at);"
now=$(date +%s)
id=$first
while [ "$id" -le "$last" ]; do
    # jq writes the INSERT, quoting the strings it got (single quotes doubled).
    curl -s -H @"$hdr" "$url/opt/api/v1/backend/etls/$id/status" |
        jq -r --argjson id "$id" --argjson now "$now" '
            def q: if . == null or . == "" then "NULL"
                   else "'"'"'" + (tostring | gsub("'"'"'"; "'"'"''"'"'")) + "'"'"'" end;
            "INSERT INTO poll VALUES (\($id), \($now), \(.status // "NONE" | q), "
            + "\(.exit_code | q), "
            + "\(if .last_exec_ts then "unixepoch(" + (.last_exec_ts | q) + ")" else "NULL" end), "
            + "\(.task_id // null | if . == null then "NULL" else tostring end), 200, NULL);"' |
        sqlite3 "$db"
    id=$((id + 1))
done
