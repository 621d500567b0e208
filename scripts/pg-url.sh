# Sourced by backup.sh and restore.sh: `pg_url URL` moves a password out of a PostgreSQL URL
# into PGPASSWORD (libpq reads it from there, and it never shows in the process list) and
# sets PG_URL to the URL without it and PG_WHERE to host, port and database (what messages
# may show).
pg_url() {
  local url=$1 scheme rest authority userinfo password escaped
  scheme=${url%%://*} rest=${url#*://}
  authority=${rest%%/*}
  # Userinfo only before the host: an `@` in the path or query is not one.
  if [[ "$authority" == *@* ]]; then
    userinfo=${authority%@*} rest=${rest#"$userinfo"@}
    if [[ "$userinfo" == *:* ]]; then
      password=${userinfo#*:}
      # As libpq reads a URL: percent-escapes decoded, nothing else (a backslash stays one).
      escaped=${password//\\/\\\\}
      escaped=${escaped//%/\\x}
      printf -v PGPASSWORD '%b' "$escaped"
      export PGPASSWORD
      userinfo=${userinfo%%:*}
    fi
    url="$scheme://$userinfo@$rest"
  fi
  PG_URL=$url
  PG_WHERE=$rest
}
