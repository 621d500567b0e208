# Sourced by backup.sh and restore.sh: `pg_url URL` moves a password out of a PostgreSQL URL
# into PGPASSWORD (libpq reads it from there, and it never shows in the process list) and
# sets PG_URL to the URL without it and PG_WHERE to host, port and database (what messages
# may show).
pg_url() {
  local url=$1 scheme rest userinfo
  scheme=${url%%://*} rest=${url#*://}
  if [[ "$rest" == *@* ]]; then
    userinfo=${rest%%@*} rest=${rest#*@}
    if [[ "$userinfo" == *:* ]]; then
      local password=${userinfo#*:}
      # As libpq reads a URL: percent-escapes decoded.
      PGPASSWORD=$(printf '%b' "${password//%/\\x}")
      export PGPASSWORD
      userinfo=${userinfo%%:*}
    fi
    url="$scheme://$userinfo@$rest"
  fi
  PG_URL=$url
  PG_WHERE=$rest
}
