#!/usr/bin/env bash
# Signet host script: installs, rolls back or health-checks one release of one app on this host.
# It is the runCommand of documents/signet-deploy.json (scripts/build-documents.ts copies it
# there) and is documented in docs/INSTANCE.md. Needs bash >= 4.4, coreutils, tar, gzip, curl.
# The SSM agent runs it as `sh _script.sh`, so step into bash before any bash-only line.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail
umask 022
# Byte-wise ranges in [[ =~ ]] and globs, whatever locale the agent runs with.
LC_ALL=C

readonly EXIT_PARAMETER_INVALID=64
readonly EXIT_DOWNLOAD_FAILED=65
readonly EXIT_CHECKSUM_MISMATCH=66
readonly EXIT_UNSAFE_ARCHIVE=67
readonly EXIT_APPSPEC_INVALID=68
readonly EXIT_HOOK_FAILED=69
readonly EXIT_HEALTH_FAILED=70
readonly EXIT_ROLLBACK_FAILED=71
readonly EXIT_LOCKED=72

# Document parameters and their patterns, the same strings as the document's allowedPattern
# (scripts/build-documents.ts refuses to build if they differ). Checked again here in case the
# document in the account was edited to allow more.
PARAMETER_NAMES=()
declare -A PARAMETER_PATTERNS=() PARAMETER_MAX_CHARS=() PARAM=()
define_parameter() {
  PARAMETER_NAMES+=("$1")
  PARAMETER_PATTERNS[$1]=$2
  PARAMETER_MAX_CHARS[$1]=${3:-0}
}
define_parameter Action '^(install|rollback|health|stop)$'
define_parameter App '^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$'
define_parameter Version '^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(-(0|[1-9][0-9]{0,19}|[0-9]{0,19}[A-Za-z-][0-9A-Za-z-]{0,19})(\.(0|[1-9][0-9]{0,19}|[0-9]{0,19}[A-Za-z-][0-9A-Za-z-]{0,19})){0,4})?$' 64
define_parameter DeploymentId '^[A-Za-z0-9_-]{1,80}$'
define_parameter ArtifactUrl '^(https?://[A-Za-z0-9._~:/?&=%+-]+)?$' 4096
define_parameter ArtifactSha256 '^([0-9a-f]{64})?$'
define_parameter KeepReleases '^([2-9]|[1-9][0-9])$'
define_parameter HealthPath '^/[A-Za-z0-9._~:/?&=%+-]*$' 1024
define_parameter HealthPort '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$'
define_parameter HealthExpectedStatus '^[1-5][0-9]{2}$'
define_parameter HealthRetries '^([1-9]|[1-9][0-9]|100)$'
define_parameter HealthIntervalSeconds '^([1-9][0-9]{0,2}(\.[0-9]{1,3})?|0\.[1-9][0-9]{0,2})$'
define_parameter HealthBakeSeconds '^(0|[1-9][0-9]{0,3})(\.[0-9]{1,3})?$'
define_parameter HealthTimeoutSeconds '^([1-9]|[1-5][0-9]|60)$'
define_parameter ExecutionTimeout '^([3-9][0-9]|[1-9][0-9]{2,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$'

readonly HOOK_ORDER=(ApplicationStop BeforeInstall AfterInstall ApplicationStart ValidateService)
readonly DOWNLOAD_MAX_SECONDS=900
readonly ROLLBACK_STOP_MAX_SECONDS=60
readonly FORCED_STOP_GRACE_TENTHS=30

APP='' VERSION='' HOME_DIR='' APP_DIR='' HTTP_PORT='' STAGING_DIR='' LOCK_DIR=''
LOCK_OWNER='' LOCK_HOLDER='' ROLLING_BACK=0

log() { printf 'signet: %s\n' "$*"; }
warn() { printf 'signet: warning: %s\n' "$*" >&2; }

# Rollback reports any failure to obtain its target as one code, so the caller need not know
# which step failed; stderr still says which.
die() {
  local code=$1
  shift
  if ((ROLLING_BACK)) && ((code >= EXIT_DOWNLOAD_FAILED && code <= EXIT_APPSPEC_INVALID)); then
    printf 'signet: error: rollback target unavailable: %s\n' "$*" >&2
    exit "$EXIT_ROLLBACK_FAILED"
  fi
  printf 'signet: error: %s\n' "$*" >&2
  exit "$code"
}

# ---------------------------------------------------------------------------------------------
# Parameters and host settings
# ---------------------------------------------------------------------------------------------

# matches_parameter NAME VALUE: the value passes the parameter's pattern and length.
matches_parameter() {
  local max=${PARAMETER_MAX_CHARS[$1]}
  if ((max > 0 && ${#2} > max)); then return 1; fi
  [[ $2 =~ ${PARAMETER_PATTERNS[$1]} ]]
}

read_parameters() {
  local name var
  for name in "${PARAMETER_NAMES[@]}"; do
    var="SSM_$name"
    if [[ -z ${!var+set} ]]; then
      # An empty String parameter may reach the script unset; only these two may be empty.
      if [[ $name == ArtifactUrl || $name == ArtifactSha256 ]]; then
        PARAM[$name]=''
        continue
      fi
      die "$EXIT_PARAMETER_INVALID" "parameter $name is missing: environment variable $var" \
        "is not set (SSM agent older than 3.3.2746.0, or the document lacks the parameter)"
    fi
    PARAM[$name]=${!var}
    if ! matches_parameter "$name" "${PARAM[$name]}"; then
      die "$EXIT_PARAMETER_INVALID" "parameter $name does not match ${PARAMETER_PATTERNS[$name]}"
    fi
  done
  case ${PARAM[Action]} in
    install) require_parameter ArtifactUrl && require_parameter ArtifactSha256 ;;
    rollback) require_parameter ArtifactSha256 ;;
  esac
  APP=${PARAM[App]}
  VERSION=${PARAM[Version]}
}

require_parameter() {
  if [[ -z ${PARAM[$1]} ]]; then
    die "$EXIT_PARAMETER_INVALID" "parameter $1 is required for ${PARAM[Action]}"
  fi
}

read_host_settings() {
  HOME_DIR=${SIGNET_HOME:-/opt/signet}
  if [[ $HOME_DIR != /* || $HOME_DIR == *[!A-Za-z0-9._/-]* ]]; then
    die "$EXIT_PARAMETER_INVALID" "host setting SIGNET_HOME must be an absolute path of" \
      "letters, digits and . _ - /"
  fi
  # (Two steps: SSM would read two closing braces in a row as the end of a template.)
  HTTP_PORT=${PARAM[HealthPort]}
  HTTP_PORT=${SIGNET_HTTP_PORT:-$HTTP_PORT}
  if ! matches_parameter HealthPort "$HTTP_PORT"; then
    die "$EXIT_PARAMETER_INVALID" "host setting SIGNET_HTTP_PORT is not a port number"
  fi
  APP_DIR="$HOME_DIR/$APP"
}

# ---------------------------------------------------------------------------------------------
# Per-app host lock: a directory holding "pid starttime" of its owner. The start time tells a
# live owner from an unrelated process that reused a dead owner's pid.
# ---------------------------------------------------------------------------------------------

# process_start_time PID: prints field 22 of /proc/PID/stat, or nothing if PID is gone or a zombie.
process_start_time() {
  local stat fields
  if ! read -r stat 2>/dev/null <"/proc/$1/stat"; then return 0; fi
  # The command name (field 2) may hold spaces and parentheses; count from its last ')'.
  read -r -a fields <<<"${stat##*) }"
  # An exited process not yet reaped by its parent (Z, or X while going) runs nothing: a lock
  # it held is stale. A cancelled command under the agent's `sh -c` is briefly one.
  [[ ${fields[0]:-} == [ZX] ]] && return 0
  printf '%s' "${fields[19]:-}"
}

# lock_owner_alive DIR: the lock's owner still runs; sets LOCK_HOLDER to its pid.
lock_owner_alive() {
  local pid='' start='' now
  read -r pid start 2>/dev/null <"$1/owner" || true
  [[ $pid =~ ^[1-9][0-9]{0,9}$ ]] || return 1
  LOCK_HOLDER=$pid
  now=$(process_start_time "$pid")
  [[ -n $now && $now == "$start" ]]
}

take_lock() {
  local candidate stale attempt
  LOCK_DIR="$APP_DIR/lock"
  LOCK_OWNER="$$ $(process_start_time "$$")"
  for attempt in 1 2 3; do
    candidate=$(mktemp -d "$APP_DIR/lock.new.XXXXXXXX")
    printf '%s\n' "$LOCK_OWNER" >"$candidate/owner"
    # rename(2) onto a non-empty directory fails, so exactly one command wins the lock.
    if mv -T "$candidate" "$LOCK_DIR" 2>/dev/null; then return 0; fi
    rm -rf -- "$candidate"
    if lock_owner_alive "$LOCK_DIR"; then
      die "$EXIT_LOCKED" "another Signet command for $APP is running on this host" \
        "(lock $LOCK_DIR held by process $LOCK_HOLDER)"
    fi
    # Move the stale lock aside first: of several commands reclaiming it, one rename wins.
    stale="$APP_DIR/lock.stale.$$.$attempt"
    if mv -T "$LOCK_DIR" "$stale" 2>/dev/null; then
      if lock_owner_alive "$stale"; then
        # A live lock was taken between the check and the rename: put it back.
        mv -T "$stale" "$LOCK_DIR" 2>/dev/null || true
        die "$EXIT_LOCKED" "another Signet command for $APP is running on this host"
      fi
      warn "reclaimed a stale lock of $APP"
      rm -rf -- "$stale"
    fi
  done
  die "$EXIT_LOCKED" "could not take the lock of $APP at $LOCK_DIR"
}

release_lock() {
  local owner=''
  [[ -n $LOCK_DIR && -d $LOCK_DIR ]] || return 0
  read -r owner 2>/dev/null <"$LOCK_DIR/owner" || true
  if [[ $owner == "$LOCK_OWNER" ]]; then rm -rf -- "$LOCK_DIR"; fi
}

cleanup() {
  local code=$?
  if [[ -n $STAGING_DIR && -d $STAGING_DIR ]]; then
    chmod -R u+rwX -- "$STAGING_DIR" 2>/dev/null || true
    rm -rf -- "$STAGING_DIR"
  fi
  release_lock
  exit "$code"
}

# ---------------------------------------------------------------------------------------------
# Releases on disk
# ---------------------------------------------------------------------------------------------

prepare_app_dirs() {
  mkdir -p -- "$APP_DIR/releases" "$APP_DIR/checksums" "$APP_DIR/staging" "$APP_DIR/run"
}

# current_version: prints the version `current` points to, or nothing.
current_version() {
  local target
  if [[ ! -L $APP_DIR/current ]]; then return 0; fi
  target=$(readlink -- "$APP_DIR/current")
  if [[ $target == releases/* ]] && matches_parameter Version "${target#releases/}"; then
    printf '%s' "${target#releases/}"
  else
    warn "ignoring $APP_DIR/current: it points to '$target', not to a release"
  fi
}

# recorded_checksum VERSION: prints the digest recorded for an installed release, or nothing.
recorded_checksum() {
  local digest=''
  read -r digest 2>/dev/null <"$APP_DIR/checksums/$1.sha256" || true
  printf '%s' "$digest"
}

release_matches() {
  [[ -d $APP_DIR/releases/$1 && $(recorded_checksum "$1") == "$2" ]]
}

# switch_current VERSION: repoints `current` with one rename, so readers never see it missing.
switch_current() {
  local link="$APP_DIR/current.new.$$"
  rm -f -- "$link"
  ln -s -- "releases/$1" "$link"
  mv -T -- "$link" "$APP_DIR/current"
  # The checksum file's mtime records when a release was last made current (see prune).
  touch -- "$APP_DIR/checksums/$1.sha256"
  log "current release of $APP is now $1"
}

# move_into_place VERSION TREE DIGEST: the staged tree becomes releases/VERSION.
move_into_place() {
  local target="$APP_DIR/releases/$1"
  if [[ -e $target ]]; then
    log "replacing stale release directory $1 of $APP"
    rm -rf -- "$target"
  fi
  mv -T -- "$2" "$target"
  printf '%s\n' "$3" >"$APP_DIR/checksums/$1.sha256.new"
  mv -f -- "$APP_DIR/checksums/$1.sha256.new" "$APP_DIR/checksums/$1.sha256"
}

# prune KEEP: keeps the KEEP most recently current releases, always including the current one.
prune() {
  local keep=$1 current name version kept=0 dir
  local -A kept_versions=()
  local -a newest_first=()
  current=$(current_version)
  if [[ -n $current ]]; then
    kept_versions[$current]=1
    kept=1
  fi
  # ls -t sorts by full-precision mtime; names are "<version>.sha256", never odd characters.
  mapfile -t newest_first < <(ls -1t -- "$APP_DIR/checksums")
  for name in "${newest_first[@]}"; do
    ((kept < keep)) || break
    version=${name%.sha256}
    if [[ $name != *.sha256 || ! -d $APP_DIR/releases/$version ]]; then continue; fi
    if [[ -z ${kept_versions[$version]+x} ]]; then
      kept_versions[$version]=1
      kept=$((kept + 1))
    fi
  done
  for dir in "$APP_DIR"/releases/*; do
    version=${dir##*/}
    if [[ ! -e $dir || -n ${kept_versions[$version]+x} ]]; then continue; fi
    log "pruning release $version of $APP"
    rm -rf -- "$dir"
  done
  for name in "${newest_first[@]}"; do
    if [[ ! -d $APP_DIR/releases/${name%.sha256} ]]; then rm -f -- "$APP_DIR/checksums/$name"; fi
  done
}

# ---------------------------------------------------------------------------------------------
# Artifact: download, checksum, entry check, extraction
# ---------------------------------------------------------------------------------------------

# The entry rules are the table in docs/VERIFICATION.md: the verify step applies them to the
# archive, this check to `tar -tv --quoting-style=c` in the C locale (test/instance/
# archive-parity.test.ts runs both on one corpus). There a name is printable ASCII, `\"`, and
# octal escapes, which must spell strict UTF-8 with no C1 control, as the verify step decodes.
readonly TAR_CONT='\\2[0-7][0-7]'
TAR_CHAR='[^"\\]|\\"|\\302\\2[4-7][0-7]|\\(30[3-7]|3[1-3][0-7])'$TAR_CONT
TAR_CHAR+='|\\340\\2[4-7][0-7]'$TAR_CONT'|\\3(4[1-7]|5[0-467])'$TAR_CONT$TAR_CONT
TAR_CHAR+='|\\355\\2[0-3][0-7]'$TAR_CONT'|\\360\\2[2-7][0-7]'$TAR_CONT$TAR_CONT
TAR_CHAR+='|\\36[1-3]'$TAR_CONT$TAR_CONT$TAR_CONT'|\\364\\2[01][0-7]'$TAR_CONT$TAR_CONT
readonly TAR_QUOTED="\"(($TAR_CHAR)*)\""
readonly TAR_SYMLINK_RE="^ -> ${TAR_QUOTED}\$"
readonly TAR_HARDLINK_RE="^ link to ${TAR_QUOTED}\$"
readonly MAX_COMPONENT_BYTES=255 MAX_PATH_BYTES=4095 MAX_LINK_HOPS=40

unsafe_entry() {
  die "$EXIT_UNSAFE_ARCHIVE" "unsafe archive entry in the artifact of $APP $VERSION: $1: $2"
}

# refuse REASON: refuses the entry being checked ($name of the caller).
refuse() {
  unsafe_entry "\"$name\"" "$1"
}

# byte_length TEXT: REPLY = how many bytes the listed TEXT stands for (`\ooo` and `\"` are one).
byte_length() {
  local slashes=${1//[^\\]/} quotes=${1//[^\"]/}
  REPLY=$((${#1} - 3 * ${#slashes} + 2 * ${#quotes}))
}

# check_path_text TEXT ESCAPING: a name or link target is not empty, relative (else ESCAPING is
# the reason), has no drive letter, and is short enough for tar to create, as stored.
check_path_text() {
  local rest=$1/ component
  [[ -n $1 ]] || refuse "empty name or link target"
  [[ $1 != /* ]] || refuse "$2"
  [[ $1 != [A-Za-z]:* ]] || refuse "\"$1\" starts with a drive letter"
  ((${#1} > MAX_COMPONENT_BYTES)) || return 0
  byte_length "$1"
  ((REPLY <= MAX_PATH_BYTES)) || refuse "is $REPLY bytes long, more than $MAX_PATH_BYTES"
  while [[ -n $rest ]]; do
    component=${rest%%/*}
    rest=${rest#*/}
    ((${#component} > MAX_COMPONENT_BYTES)) || continue
    byte_length "$component"
    if ((REPLY > MAX_COMPONENT_BYTES)); then
      refuse "has a path component of $REPLY bytes, more than $MAX_COMPONENT_BYTES"
    fi
  done
}

# entry_path TEXT TYPE ESCAPING: REPLY = the name TEXT without its leading `./` and a directory's
# trailing `/` ('' for the root); refuses the entry if TEXT breaks a name rule.
entry_path() {
  # One test for the usual name: each separate test costs bash more than its work.
  if [[ -z $1 || $1 == /* || $1 == [A-Za-z]:* || ${#1} -gt MAX_COMPONENT_BYTES ]]; then
    check_path_text "$1" "$3"
  fi
  REPLY=${1#./}
  if [[ $REPLY == */ ]]; then
    [[ $2 == d ]] || refuse "\"$1\" ends with '/' but is not a directory"
    REPLY=${REPLY%/}
  fi
  if [[ /$REPLY/ == *//* || /$REPLY/ == */./* || /$REPLY/ == */../* ]]; then
    if [[ $2 == d && ($1 == . || $1 == ./) ]]; then
      REPLY=''
      return 0
    fi
    [[ /$REPLY/ != */../* ]] || refuse "$3"
    refuse "\"$1\" has an empty or '.' path component"
  fi
}

# add_entry PATH KIND: builds the tree as core/verification does: no path twice, nothing through
# a symlink or under a file, no directory replaced. Keys start with '/': the root's is not ''.
add_entry() {
  local ancestor=$1
  while [[ $ancestor == */* ]]; do
    ancestor=${ancestor%/*}
    # Its ancestors were checked when it was implied, and cannot have changed since.
    [[ -z ${implied_dirs[/$ancestor]+x} ]] || break
    case ${entry_kinds[/$ancestor]-d} in
      d) implied_dirs[/$ancestor]=1 ;;
      l) refuse "lies through the symlink \"$ancestor\" of an earlier entry" ;;
      *) refuse "lies under \"$ancestor\", which is not a directory" ;;
    esac
  done
  [[ -z ${entry_kinds[/$1]+x} ]] || refuse "appears twice in the archive"
  if [[ $2 != d && -n ${implied_dirs[/$1]+x} ]]; then
    refuse "replaces a directory that earlier entries lie in"
  fi
  entry_kinds[/$1]=$2
}

# follow_link LINK [BY_NAME]: resolves LINK's target from its directory, by name alone as each
# link is met, then once all are known through the other links as the kernel will (with `r -> .`,
# `r/..` is the release's parent); refuses an escape, or over 40 links (ELOOP).
follow_link() {
  local target=${link_targets[/$1]} dir=${1%/*} pending next component hops=0
  [[ $1 == */* ]] || dir=''
  pending=$target/
  while [[ -n $pending ]]; do
    component=${pending%%/*}
    pending=${pending#*/}
    if [[ -z $component || $component == . ]]; then continue; fi
    if [[ $component == .. ]]; then
      [[ -n $dir ]] || refuse "link target \"$target\" leaves the release"
      if [[ $dir == */* ]]; then dir=${dir%/*}; else dir=''; fi
      continue
    fi
    next=${dir:+$dir/}$component
    if [[ -n ${2-} || -z ${link_targets[/$next]+x} ]]; then
      dir=$next
      continue
    fi
    ((++hops <= MAX_LINK_HOPS)) || refuse "link target \"$target\" is in a loop of links"
    pending=${link_targets[/$next]}/$pending
  done
}

# check_entry LINE: one line of the listing; refuses the entry unless it keeps every rule.
check_entry() {
  local line=$1 prefix rest type perms size name link_re target path
  prefix=${line%%\"*}
  if [[ $prefix == "$line" || ${#prefix} -lt 11 ]]; then
    unsafe_entry "'$line'" "the listing line cannot be read"
  fi
  type=${prefix:0:1} perms=${prefix:1:9}
  rest=${line#"$prefix"}
  # bash compiles a regex at each use: most names have no escape and are read by globs.
  if [[ $rest != *\\* ]]; then
    name=${rest#\"}
    name=${name%%\"*}
  elif [[ $rest =~ ^$TAR_QUOTED ]]; then
    name=${BASH_REMATCH[1]}
  else
    name=$'\n' # unreadable: refused just below
  fi
  if [[ $name == *[![:print:]]* ]]; then
    unsafe_entry "$rest" "the name has a backslash, a control character or is not UTF-8"
  fi
  rest=${rest#"\"$name\""}
  if [[ $perms == ??[sS]* || $perms == ?????[sS]* || $perms == *[tT] ]]; then
    refuse "setuid or setgid bit, or sticky bit"
  fi
  case $type in
    - | C | d) [[ -z $rest ]] || refuse "unexpected listing '$rest'" ;;
    l | h)
      link_re=$TAR_HARDLINK_RE
      if [[ $type == l ]]; then link_re=$TAR_SYMLINK_RE; fi
      [[ $rest =~ $link_re ]] || refuse "link target cannot be read"
      target=${BASH_REMATCH[1]}
      ;;
    *) refuse "type '$type' (device, FIFO or other special file)" ;;
  esac
  if [[ $type != [-C] ]]; then
    # "<owner>/<group>   <size> <date> <time> ": only files carry data.
    size=${prefix:11}
    size=${size#* }
    size=${size#"${size%%[! ]*}"}
    [[ ${size%% *} == 0 ]] || refuse "is no file, yet carries ${size%% *} bytes"
  fi
  entry_path "$name" "$type" "absolute path or '..' component"
  path=$REPLY
  if [[ $type == l ]]; then
    check_path_text "$target" "link target \"$target\" is absolute or goes through '..'"
    link_targets[/$path]=$target
    follow_link "$path" by-name
  elif [[ $type == h ]]; then
    entry_path "$target" - "link target \"$target\" is absolute or goes through '..'"
    if [[ ${entry_kinds[/$REPLY]-} != - ]]; then
      refuse "is a hard link to \"$target\", which is not an earlier regular file"
    fi
  fi
  add_entry "$path" "${type/C/-}"
}

# check_archive ARCHIVE: refuses the artifact (67) unless every entry keeps the rules.
check_archive() {
  local archive=$1 listing="$STAGING_DIR/listing" line name
  local -A entry_kinds=() implied_dirs=() link_targets=()
  # -P shows names exactly as stored, leading '/' included.
  if ! LC_ALL=C tar -tvzf "$archive" -P --numeric-owner --quoting-style=c \
    >"$listing" 2>"$listing.err"; then
    die "$EXIT_UNSAFE_ARCHIVE" "the artifact of $APP $VERSION is not a readable tar.gz:" \
      "$(head -c 300 "$listing.err")"
  fi
  while IFS= read -r line; do
    check_entry "$line"
  done <"$listing"
  for name in "${!link_targets[@]}"; do
    name=${name#/}
    follow_link "$name"
  done
}

# extract_release ARCHIVE DIR: checks every entry of ARCHIVE, then extracts it into DIR.
extract_release() {
  check_archive "$1"
  mkdir -- "$2"
  # In the C locale, so that tar writes each name's bytes as the check read them.
  if ! LC_ALL=C tar -xzf "$1" -C "$2" --no-same-owner --no-same-permissions; then
    die "$EXIT_UNSAFE_ARCHIVE" "the artifact of $APP $VERSION could not be extracted"
  fi
  # The listing check refused these bits already; clear them anyway should tar differ.
  chmod -R u-s,g-s -- "$2"
}

# stage_release URL DIGEST: leaves the checked, extracted release in $STAGING_DIR/tree.
stage_release() {
  local url=$1 digest=$2 archive actual=''
  STAGING_DIR=$(mktemp -d "$APP_DIR/staging/XXXXXXXXXX")
  # mktemp makes it 0700; a BeforeInstall hook with runas must be able to enter the release.
  chmod 755 -- "$STAGING_DIR"
  archive="$STAGING_DIR/artifact.tar.gz"
  log "downloading the artifact of $APP $VERSION"
  # Retries cover timeouts, 408, 429 and 5xx. Proxy variables apply: an egress proxy may be
  # the host's only way to S3.
  if ! curl --fail --silent --show-error --proto '=http,https' --connect-timeout 10 \
    --max-time "$DOWNLOAD_MAX_SECONDS" --retry 3 --retry-delay 1 --output "$archive" \
    --url "$url"; then
    die "$EXIT_DOWNLOAD_FAILED" "could not download the artifact of $APP $VERSION"
  fi
  read -r actual _ < <(sha256sum -- "$archive")
  if [[ $actual != "$digest" ]]; then
    die "$EXIT_CHECKSUM_MISMATCH" "the artifact of $APP $VERSION has SHA-256 $actual," \
      "expected $digest; nothing was extracted"
  fi
  extract_release "$archive" "$STAGING_DIR/tree"
  rm -f -- "$archive"
  check_release_appspec "$STAGING_DIR/tree" "$VERSION"
}

# check_release_appspec DIR VERSION: the appspec parses and every hook script is in the release.
check_release_appspec() {
  local location
  if [[ ! -f $1/appspec.yml ]]; then
    die "$EXIT_APPSPEC_INVALID" "appspec.yml is missing from the root of $APP $2"
  fi
  appspec_parse "$1/appspec.yml" "appspec.yml of $APP $2" ||
    die "$EXIT_APPSPEC_INVALID" "$APPSPEC_ERROR"
  for location in "${APPSPEC_LOCATION[@]}"; do
    if [[ ! -f $1/$location ]]; then
      die "$EXIT_APPSPEC_INVALID" "appspec.yml of $APP $2 names hook script '$location'," \
        "which is not a file in the release"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# appspec.yml subset (grammar in docs/INSTANCE.md). core/appspec.ts parses the same subset with
# the same messages; test/fixtures/appspec/ runs both. Results: parallel arrays, one entry per
# hook script in file order, or APPSPEC_ERROR.
# ---------------------------------------------------------------------------------------------

readonly AS_ITEM_RE='^-( +)([^ ].*)$'
readonly AS_KEY_RE='^([A-Za-z][A-Za-z0-9_-]*):( +([^ ].*))?$'
readonly AS_SINGLE_QUOTED_RE="^'([^']*)'( +#.*)?\$"
readonly AS_DOUBLE_QUOTED_RE='^"([^"\\]*)"( +#.*)?$'
readonly AS_LOCATION_RE='^[A-Za-z0-9._@+/-]+$'
readonly AS_TIMEOUT_RE='^[1-9][0-9]{0,3}$'
readonly AS_USER_RE='^[a-z_][a-z0-9_-]{0,31}$'
readonly AS_DEFAULT_TIMEOUT=300
readonly AS_MAX_TIMEOUT=3600

APPSPEC_ERROR=''
APPSPEC_HOOK=() APPSPEC_LOCATION=() APPSPEC_TIMEOUT=() APPSPEC_RUNAS=()
# Parser state, reset by appspec_parse.
AS_WHERE='' AS_TOP_KEYS='' AS_IN_HOOKS=0 AS_HOOK_INDENT=-1 AS_HOOKS_SEEN=''
AS_HOOK='' AS_HOOK_LINE=0 AS_HOOK_ITEMS=0 AS_ITEM_INDENT=-1
AS_ITEM_OPEN=0 AS_ITEM_LINE=0 AS_ITEM_KEYCOL=0 AS_ITEM_KEYS='' AS_ITEM_LOCATION=''
AS_ITEM_TIMEOUT=0 AS_ITEM_RUNAS=''
# The current line, set by appspec_lex.
L_INDENT=0 L_ITEM=0 L_KEYCOL=0 L_KEY='' L_VALUE='' L_HASVALUE=0

# appspec_fail LINE REASON: sets APPSPEC_ERROR and returns 1; LINE may be empty.
appspec_fail() {
  local line=$1
  shift
  if [[ -n $line ]]; then APPSPEC_ERROR="$AS_WHERE line $line: $*"; else APPSPEC_ERROR="$AS_WHERE: $*"; fi
  return 1
}

# appspec_lex NUMBER RAW: 0 with L_* set, 2 for a blank line or a comment, 1 on error.
appspec_lex() {
  local n=$1 line=${2%$'\r'} content raw
  if [[ $line == *$'\t'* ]]; then appspec_fail "$n" 'tab character (indent with spaces)'; return; fi
  if [[ $line == *[[:cntrl:]]* ]]; then appspec_fail "$n" 'control character'; return; fi
  line=${line%"${line##*[! ]}"}
  content=${line#"${line%%[! ]*}"}
  if [[ -z $content || $content == '#'* ]]; then return 2; fi
  L_INDENT=$((${#line} - ${#content}))
  L_KEYCOL=$L_INDENT
  L_ITEM=0
  if [[ $content == -* ]]; then
    if ! [[ $content =~ $AS_ITEM_RE ]]; then
      appspec_fail "$n" "a list item needs its first key on the same line as '-'"
      return
    fi
    L_ITEM=1
    L_KEYCOL=$((L_INDENT + 1 + ${#BASH_REMATCH[1]}))
    content=${BASH_REMATCH[2]}
  fi
  if ! [[ $content =~ $AS_KEY_RE ]]; then appspec_fail "$n" "expected 'key: value'"; return; fi
  L_KEY=${BASH_REMATCH[1]}
  raw=${BASH_REMATCH[3]}
  L_VALUE=''
  L_HASVALUE=0
  if [[ -z $raw || $raw == '#'* ]]; then return 0; fi
  L_HASVALUE=1
  if [[ $raw == [\'\"]* ]]; then
    if [[ $raw =~ $AS_SINGLE_QUOTED_RE || $raw =~ $AS_DOUBLE_QUOTED_RE ]]; then
      L_VALUE=${BASH_REMATCH[1]}
      return 0
    fi
    appspec_fail "$n" 'quoted value is malformed (escapes and embedded quotes are not supported)'
    return
  fi
  L_VALUE=${raw%% #*}
  L_VALUE=${L_VALUE%"${L_VALUE##*[! ]}"}
}

appspec_close_item() {
  if ((!AS_ITEM_OPEN)); then return 0; fi
  if [[ $AS_ITEM_KEYS != *' location '* ]]; then
    appspec_fail "$AS_ITEM_LINE" 'hook script has no location'
    return
  fi
  APPSPEC_HOOK+=("$AS_HOOK")
  APPSPEC_LOCATION+=("$AS_ITEM_LOCATION")
  APPSPEC_TIMEOUT+=("$AS_ITEM_TIMEOUT")
  APPSPEC_RUNAS+=("$AS_ITEM_RUNAS")
  AS_HOOK_ITEMS=$((AS_HOOK_ITEMS + 1))
  AS_ITEM_OPEN=0
}

appspec_close_hook() {
  appspec_close_item || return
  if [[ -n $AS_HOOK ]] && ((AS_HOOK_ITEMS == 0)); then
    appspec_fail "$AS_HOOK_LINE" "hook '$AS_HOOK' lists no scripts"
    return
  fi
  AS_HOOK=''
}

appspec_top_level() {
  local n=$1
  if ((L_ITEM)); then appspec_fail "$n" 'unexpected list item'; return; fi
  case $L_KEY in
    files)
      appspec_fail "$n" "'files' is not supported: Signet installs the whole archive as the" \
        "release directory"
      return
      ;;
    permissions)
      appspec_fail "$n" "'permissions' is not supported: set modes in the archive or in a hook"
      return
      ;;
    version | os | hooks) ;;
    *) appspec_fail "$n" "unknown key '$L_KEY'"; return ;;
  esac
  if [[ $AS_TOP_KEYS == *" $L_KEY "* ]]; then appspec_fail "$n" "duplicate key '$L_KEY'"; return; fi
  AS_TOP_KEYS+="$L_KEY "
  if [[ $L_KEY == version && $L_VALUE != 0.0 ]]; then
    appspec_fail "$n" "version must be 0.0, not '$L_VALUE'"
    return
  fi
  if [[ $L_KEY == os && $L_VALUE != linux ]]; then
    appspec_fail "$n" "os must be linux, not '$L_VALUE'"
    return
  fi
  if [[ $L_KEY == hooks ]] && ((L_HASVALUE)); then
    appspec_fail "$n" 'hooks must be a mapping of hook names to lists of scripts'
    return
  fi
  AS_IN_HOOKS=0
  if [[ $L_KEY == hooks ]]; then AS_IN_HOOKS=1; fi
}

appspec_open_hook() {
  local n=$1 known=0 hook
  for hook in "${HOOK_ORDER[@]}"; do
    if [[ $hook == "$L_KEY" ]]; then known=1; fi
  done
  if ((!known)); then
    appspec_fail "$n" "unknown hook '$L_KEY' (supported: ApplicationStop, BeforeInstall," \
      "AfterInstall, ApplicationStart, ValidateService)"
    return
  fi
  if [[ $AS_HOOKS_SEEN == *" $L_KEY "* ]]; then appspec_fail "$n" "duplicate hook '$L_KEY'"; return; fi
  if ((L_HASVALUE)); then
    appspec_fail "$n" "hook '$L_KEY' must be a list of '- location: ...' items"
    return
  fi
  AS_HOOKS_SEEN+="$L_KEY "
  AS_HOOK=$L_KEY
  AS_HOOK_LINE=$n
  AS_HOOK_ITEMS=0
  AS_ITEM_INDENT=-1
}

appspec_item_key() {
  local n=$1 value=$L_VALUE
  case $L_KEY in
    location | timeout | runas) ;;
    *)
      appspec_fail "$n" "unknown key '$L_KEY' in a hook script (expected location, timeout or runas)"
      return
      ;;
  esac
  if [[ $AS_ITEM_KEYS == *" $L_KEY "* ]]; then appspec_fail "$n" "duplicate key '$L_KEY'"; return; fi
  AS_ITEM_KEYS+="$L_KEY "
  case $L_KEY in
    location)
      if [[ -z $value ]]; then
        appspec_fail "$n" 'location is empty'
      elif [[ $value == /* ]]; then
        appspec_fail "$n" "location must be relative to the archive root: '$value'"
      elif [[ /$value/ == */../* ]]; then
        appspec_fail "$n" "location must not contain '..': '$value'"
      elif ! [[ $value =~ $AS_LOCATION_RE ]]; then
        appspec_fail "$n" "location may contain only letters, digits and . _ @ + - /: '$value'"
      else
        AS_ITEM_LOCATION=$value
      fi
      ;;
    timeout)
      if [[ $value =~ $AS_TIMEOUT_RE ]] && ((10#$value <= AS_MAX_TIMEOUT)); then
        AS_ITEM_TIMEOUT=$((10#$value))
      else
        appspec_fail "$n" "timeout must be whole seconds from 1 to $AS_MAX_TIMEOUT, not '$value'"
      fi
      ;;
    runas)
      if [[ $value =~ $AS_USER_RE ]]; then
        AS_ITEM_RUNAS=$value
      else
        appspec_fail "$n" "runas must be a user name (a-z, 0-9, _ and -), not '$value'"
      fi
      ;;
  esac
}

# appspec_line NUMBER: places the lexed line in the structure.
appspec_line() {
  local n=$1
  if ((L_INDENT == 0)); then
    appspec_close_hook || return
    appspec_top_level "$n"
    return
  fi
  if ((!AS_IN_HOOKS)); then appspec_fail "$n" 'unexpected indentation'; return; fi
  if ((L_ITEM)); then
    if [[ -z $AS_HOOK ]]; then appspec_fail "$n" 'a list item must belong to a hook'; return; fi
    if ((L_INDENT < AS_HOOK_INDENT)); then appspec_fail "$n" 'inconsistent indentation'; return; fi
    if ((AS_ITEM_INDENT < 0)); then AS_ITEM_INDENT=$L_INDENT; fi
    if ((L_INDENT != AS_ITEM_INDENT)); then appspec_fail "$n" 'inconsistent indentation'; return; fi
    appspec_close_item || return
    AS_ITEM_OPEN=1 AS_ITEM_LINE=$n AS_ITEM_KEYCOL=$L_KEYCOL AS_ITEM_KEYS=' '
    AS_ITEM_LOCATION='' AS_ITEM_TIMEOUT=$AS_DEFAULT_TIMEOUT AS_ITEM_RUNAS=''
    appspec_item_key "$n"
    return
  fi
  if ((AS_HOOK_INDENT < 0)); then AS_HOOK_INDENT=$L_INDENT; fi
  if ((L_INDENT == AS_HOOK_INDENT)); then
    appspec_close_hook || return
    appspec_open_hook "$n"
    return
  fi
  if ((L_INDENT < AS_HOOK_INDENT)); then appspec_fail "$n" 'inconsistent indentation'; return; fi
  if ((!AS_ITEM_OPEN)); then appspec_fail "$n" 'unexpected indentation'; return; fi
  if ((L_INDENT != AS_ITEM_KEYCOL)); then appspec_fail "$n" 'inconsistent indentation'; return; fi
  appspec_item_key "$n"
}

# appspec_parse FILE WHERE: 0 with APPSPEC_* filled, or 1 with APPSPEC_ERROR naming WHERE.
appspec_parse() {
  local raw bare n=0 seen=0 lexed
  AS_WHERE=$2 APPSPEC_ERROR=''
  APPSPEC_HOOK=() APPSPEC_LOCATION=() APPSPEC_TIMEOUT=() APPSPEC_RUNAS=()
  AS_TOP_KEYS=' ' AS_IN_HOOKS=0 AS_HOOK_INDENT=-1 AS_HOOKS_SEEN=' ' AS_HOOK='' AS_ITEM_OPEN=0
  while IFS= read -r raw || [[ -n $raw ]]; do
    n=$((n + 1))
    bare=${raw%$'\r'}
    bare=${bare%"${bare##*[! ]}"}
    if ((!seen)) && [[ $bare == '---' ]]; then continue; fi
    lexed=0
    appspec_lex "$n" "$raw" || lexed=$?
    if ((lexed == 2)); then continue; fi
    if ((lexed != 0)); then return 1; fi
    seen=1
    appspec_line "$n" || return
  done <"$1"
  appspec_close_hook || return
  if [[ $AS_TOP_KEYS != *' version '* ]]; then appspec_fail '' 'version is missing'; return; fi
  if [[ $AS_TOP_KEYS != *' os '* ]]; then appspec_fail '' 'os is missing'; return; fi
}

# appspec_print_plan FILE WHERE: the parse result as stable text (tests compare it with
# core/appspec.ts), or the error on stderr.
appspec_print_plan() {
  local hook i
  if ! appspec_parse "$1" "$2"; then
    printf '%s\n' "$APPSPEC_ERROR" >&2
    return 1
  fi
  printf 'version 0.0\nos linux\n'
  for hook in "${HOOK_ORDER[@]}"; do
    for i in "${!APPSPEC_HOOK[@]}"; do
      if [[ ${APPSPEC_HOOK[$i]} == "$hook" ]]; then
        printf '%s %s %s %s\n' "$hook" "${APPSPEC_TIMEOUT[$i]}" "${APPSPEC_RUNAS[$i]:--}" \
          "${APPSPEC_LOCATION[$i]}"
      fi
    done
  done
}

# ---------------------------------------------------------------------------------------------
# Lifecycle hooks
# ---------------------------------------------------------------------------------------------

# run_hook HOOK DIR VERSION [CAP]: runs HOOK's scripts from DIR's appspec.yml in file order.
# A failure exits 69. With CAP (seconds), each timeout is capped and failures are only logged:
# the broken release's stop hook must never block a rollback.
run_hook() {
  local hook=$1 dir=$2 version=$3 cap=${4:-0} i
  if ! appspec_parse "$dir/appspec.yml" "appspec.yml of $APP $version"; then
    if ((cap)); then
      warn "$APPSPEC_ERROR; skipping $hook of $APP $version"
      return 0
    fi
    die "$EXIT_APPSPEC_INVALID" "$APPSPEC_ERROR"
  fi
  local -a locations=() timeouts=() users=()
  for i in "${!APPSPEC_HOOK[@]}"; do
    if [[ ${APPSPEC_HOOK[$i]} == "$hook" ]]; then
      locations+=("${APPSPEC_LOCATION[$i]}")
      timeouts+=("${APPSPEC_TIMEOUT[$i]}")
      users+=("${APPSPEC_RUNAS[$i]}")
    fi
  done
  for i in "${!locations[@]}"; do
    run_hook_script "$hook" "$dir" "$version" "${locations[$i]}" "${timeouts[$i]}" \
      "${users[$i]}" "$cap"
  done
}

run_hook_script() {
  local hook=$1 dir=$2 version=$3 location=$4 seconds=$5 user=$6 cap=$7 code=0 outcome
  local -a command environment
  local name
  if ((cap > 0 && seconds > cap)); then seconds=$cap; fi
  environment=(
    "SIGNET_APP=$APP" "SIGNET_VERSION=$version" "SIGNET_RELEASE_DIR=$dir"
    "SIGNET_RUN_DIR=$APP_DIR/run" "SIGNET_HOME=$HOME_DIR"
    "SIGNET_DEPLOYMENT_ID=${PARAM[DeploymentId]}" "SIGNET_HTTP_PORT=$HTTP_PORT"
    "LIFECYCLE_EVENT=$hook" "SIGNET_LIFECYCLE_EVENT=$hook"
  )
  # The command's parameters (the artifact URL is a short-lived credential) are the agent's
  # business, not the app's: hooks, and the services they start, never see them.
  local -a scrub=()
  for name in "${PARAMETER_NAMES[@]}"; do scrub+=(-u "SSM_$name"); done
  command=(env "${scrub[@]}" "${environment[@]}" bash "$location")
  if [[ -n $user && $user != "$(id -un)" ]]; then
    if ((EUID != 0)); then
      hook_failed "$cap" "hook $hook ($location) of $APP $version asks for runas $user, which" \
        "needs the Signet command to run as root"
      return 0
    fi
    if ! id -u -- "$user" >/dev/null 2>&1; then
      hook_failed "$cap" "hook $hook ($location) of $APP $version asks for runas $user, which" \
        "is not a user on this host"
      return 0
    fi
    # chroot to / is only a user switch: it is in coreutils, unlike su, sudo and runuser.
    # It changes to / afterwards, so the script changes back to the release.
    # shellcheck disable=SC2016 # $1 and $2 belong to the inner bash.
    command=(chroot "--userspec=$user" / env "${scrub[@]}" "${environment[@]}" bash -c 'cd -- "$1" && exec bash "$2"' signet-hook "$dir" "$location")
  fi
  log "hook $hook of $APP $version: running $location${user:+ as $user} (timeout $seconds s)"
  (cd -- "$dir" && exec timeout --kill-after=10 "$seconds" "${command[@]}" </dev/null) ||
    code=$?
  if ((code == 0)); then
    log "hook $hook of $APP $version: ok"
    return 0
  fi
  outcome="failed (exit $code)"
  if ((code == 124 || code == 137)); then outcome="timed out after $seconds s (exit $code)"; fi
  log "hook $hook of $APP $version: $outcome"
  hook_failed "$cap" "hook $hook ($location) of $APP $version $outcome"
}

# hook_failed CAP MESSAGE...: exits 69, or only warns when tolerant (CAP > 0).
hook_failed() {
  local cap=$1
  shift
  if ((cap)); then
    warn "$*; continuing"
  else
    die "$EXIT_HOOK_FAILED" "$*"
  fi
}

# process_alive PID: running and not a zombie.
process_alive() {
  local stat
  if ! read -r stat 2>/dev/null <"/proc/$1/stat"; then return 1; fi
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# process_cwds: "/proc/PID<tab>cwd<NUL>" of each process.
process_cwds() {
  local entry target
  if command -v find >/dev/null; then
    find /proc -mindepth 2 -maxdepth 2 -path '/proc/[0-9]*/cwd' -printf '%h\t%l\0' 2>/dev/null
    return 0
  fi
  for entry in /proc/[0-9]*; do
    target=$(readlink -- "$entry/cwd" 2>/dev/null) && printf '%s\t%s\0' "$entry" "$target"
  done
}

# stop_processes_in DIR: TERM, then KILL after a grace period, for every process whose working
# directory is DIR or below it.
stop_processes_in() {
  local real pid cwd tenths
  local -a found=() alive=()
  # Fail safe: an empty or root path would match every process on the host.
  real=$(cd -P -- "$1" 2>/dev/null && pwd) || return 0
  if [[ -z $real || $real == / ]]; then return 0; fi
  # A scan that cd'd into each cwd sat in other apps' releases, and their scans TERMed it.
  while IFS=$'\t' read -r -d '' pid cwd; do
    pid=${pid#/proc/}
    if [[ $pid == "$$" ]]; then continue; fi
    if [[ $cwd == "$real" || $cwd == "$real"/* ]]; then found+=("$pid"); fi
  done < <(process_cwds)
  if ((${#found[@]} == 0)); then return 0; fi
  log "stopping ${#found[@]} process(es) still running in $1: ${found[*]}"
  kill -TERM -- "${found[@]}" 2>/dev/null || true
  for ((tenths = 0; tenths < FORCED_STOP_GRACE_TENTHS; tenths++)); do
    alive=()
    for pid in "${found[@]}"; do
      if process_alive "$pid"; then alive+=("$pid"); fi
    done
    if ((${#alive[@]} == 0)); then return 0; fi
    sleep 0.1
  done
  warn "killing process(es) that ignored TERM: ${alive[*]}"
  kill -KILL -- "${alive[@]}" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------------------------

# to_millis SECONDS: "1.5" -> 1500 (the pattern allows at most three decimals).
to_millis() {
  local whole=${1%%.*} fraction=000
  if [[ $1 == *.* ]]; then fraction="${1#*.}000"; fi
  printf '%s' $((10#$whole * 1000 + 10#${fraction:0:3}))
}

# probe URL: prints the HTTP status, 000 when nothing answered in time.
probe() {
  local status
  # A host's proxy settings must not send a probe of 127.0.0.1 elsewhere.
  status=$(curl --silent --noproxy '*' --output /dev/null --write-out '%{http_code}' \
    --max-time "${PARAM[HealthTimeoutSeconds]}" --url "$1") || true
  printf '%s' "${status:-000}"
}

describe_status() {
  if [[ $1 == 000 ]]; then printf 'no answer'; else printf 'HTTP %s' "$1"; fi
}

action_health() {
  local expected=${PARAM[HealthExpectedStatus]} retries=${PARAM[HealthRetries]}
  local interval=${PARAM[HealthIntervalSeconds]} url current attempt status bake_end probes=0
  current=$(current_version)
  if [[ $current != "$VERSION" ]]; then
    die "$EXIT_HEALTH_FAILED" "the current release of $APP on this host is" \
      "'${current:-none}', not $VERSION"
  fi
  url="http://127.0.0.1:$HTTP_PORT${PARAM[HealthPath]}"
  log "health check of $APP $VERSION: $url, expecting HTTP $expected"
  for ((attempt = 1; ; attempt++)); do
    status=$(probe "$url")
    log "probe $attempt/$retries of $APP $VERSION: $(describe_status "$status")"
    if [[ $status == "$expected" ]]; then break; fi
    if ((attempt >= retries)); then
      die "$EXIT_HEALTH_FAILED" "$APP $VERSION did not answer HTTP $expected at $url in" \
        "$retries probe(s); last: $(describe_status "$status")"
    fi
    sleep "$interval"
  done
  bake_end=$(($(date +%s%3N) + $(to_millis "${PARAM[HealthBakeSeconds]}")))
  while (($(date +%s%3N) < bake_end)); do
    sleep "$interval"
    probes=$((probes + 1))
    status=$(probe "$url")
    log "bake probe $probes of $APP $VERSION: $(describe_status "$status")"
    if [[ $status != "$expected" ]]; then
      die "$EXIT_HEALTH_FAILED" "$APP $VERSION is flapping: bake probe $probes answered" \
        "$(describe_status "$status"), expected HTTP $expected"
    fi
  done
  log "$APP $VERSION is healthy (bake of ${PARAM[HealthBakeSeconds]} s, $probes probe(s))"
}

# ---------------------------------------------------------------------------------------------
# Install and rollback
# ---------------------------------------------------------------------------------------------

action_install() {
  local digest=${PARAM[ArtifactSha256]} current release
  current=$(current_version)
  release="$APP_DIR/releases/$VERSION"
  if [[ $current == "$VERSION" && -d $release ]]; then
    if release_matches "$VERSION" "$digest"; then
      if [[ $(activated_by) == "${PARAM[DeploymentId]}" ]]; then
        # A retry or redrive of the deployment that already did this: nothing to repeat.
        log "$APP $VERSION is already installed and current; nothing to do"
        return 0
      fi
      # Another deployment of the current version (a redeploy): run it again from stop to
      # validate, so the service ends up running whatever state it was in.
      log "$APP $VERSION is already installed; restarting it for this deployment"
      run_hook ApplicationStop "$release" "$VERSION"
      run_hook ApplicationStart "$release" "$VERSION"
      run_hook ValidateService "$release" "$VERSION"
      record_activation
      return 0
    fi
    die "$EXIT_CHECKSUM_MISMATCH" "$APP $VERSION is current on this host but came from an" \
      "artifact with SHA-256 '$(recorded_checksum "$VERSION")', not $digest"
  fi
  stage_release "${PARAM[ArtifactUrl]}" "$digest"
  if [[ -n $current && -d $APP_DIR/releases/$current ]]; then
    run_hook ApplicationStop "$APP_DIR/releases/$current" "$current"
  fi
  run_hook BeforeInstall "$STAGING_DIR/tree" "$VERSION"
  move_into_place "$VERSION" "$STAGING_DIR/tree" "$digest"
  switch_current "$VERSION"
  run_hook AfterInstall "$release" "$VERSION"
  run_hook ApplicationStart "$release" "$VERSION"
  run_hook ValidateService "$release" "$VERSION"
  record_activation
  rm -f -- "$APP_DIR/failed-deployment"
  prune "${PARAM[KeepReleases]}"
  log "installed $APP $VERSION"
}

# The deployment that last made the current release run; an install repeated by the same
# deployment skips the hooks, a new deployment of the same version runs them.
activated_by() {
  local id=''
  read -r id 2>/dev/null <"$APP_DIR/activated-by" || true
  printf '%s' "$id"
}

record_activation() {
  printf '%s\n' "${PARAM[DeploymentId]}" >"$APP_DIR/activated-by.new"
  mv -f -- "$APP_DIR/activated-by.new" "$APP_DIR/activated-by"
}

action_rollback() {
  local digest=${PARAM[ArtifactSha256]} current release
  ROLLING_BACK=1
  current=$(current_version)
  release="$APP_DIR/releases/$VERSION"
  if [[ -n $current && -d $APP_DIR/releases/$current ]]; then
    log "stopping $APP $current before rolling back to $VERSION"
    run_hook ApplicationStop "$APP_DIR/releases/$current" "$current" "$ROLLBACK_STOP_MAX_SECONDS"
    stop_processes_in "$APP_DIR/releases/$current"
  fi
  if release_matches "$VERSION" "$digest"; then
    log "rolling back $APP to $VERSION, kept on this host"
    check_release_appspec "$release" "$VERSION"
    switch_current "$VERSION"
  else
    if [[ -z ${PARAM[ArtifactUrl]} ]]; then
      die "$EXIT_ROLLBACK_FAILED" "$APP $VERSION with SHA-256 $digest is not kept on this host" \
        "and no ArtifactUrl was given"
    fi
    log "$APP $VERSION is not kept on this host with that checksum; downloading it again"
    stage_release "${PARAM[ArtifactUrl]}" "$digest"
    run_hook BeforeInstall "$STAGING_DIR/tree" "$VERSION"
    move_into_place "$VERSION" "$STAGING_DIR/tree" "$digest"
    switch_current "$VERSION"
    run_hook AfterInstall "$release" "$VERSION"
  fi
  run_hook ApplicationStart "$release" "$VERSION"
  run_hook ValidateService "$release" "$VERSION"
  prune "${PARAM[KeepReleases]}"
  record_activation
  log "rolled back $APP to $VERSION"
}

# A failed first deployment has no release to return to: stop what it started, with the same
# bounded stop hook and forced stop as a rollback, unlink `current`, and leave a flag saying
# which deployment failed. The next successful install clears the flag.
action_stop() {
  local current
  ROLLING_BACK=1
  current=$(current_version)
  if [[ -n $current && -d $APP_DIR/releases/$current ]]; then
    log "stopping $APP $current: its deployment failed and there is no release to return to"
    run_hook ApplicationStop "$APP_DIR/releases/$current" "$current" "$ROLLBACK_STOP_MAX_SECONDS"
    stop_processes_in "$APP_DIR/releases/$current"
    rm -f -- "$APP_DIR/current"
  fi
  printf '%s %s\n' "${PARAM[DeploymentId]}" "$VERSION" >"$APP_DIR/failed-deployment.new"
  mv -f -- "$APP_DIR/failed-deployment.new" "$APP_DIR/failed-deployment"
  log "stopped $APP and flagged it failed in $APP_DIR/failed-deployment"
}

main() {
  if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
    die "$EXIT_PARAMETER_INVALID" "bash 4.4 or newer is needed; this is $BASH_VERSION"
  fi
  # No path below is relative, and no process should keep a release directory busy.
  cd /
  read_parameters
  read_host_settings
  trap cleanup EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  prepare_app_dirs
  take_lock
  log "${PARAM[Action]} $APP $VERSION (deployment ${PARAM[DeploymentId]})"
  case ${PARAM[Action]} in
    install) action_install ;;
    rollback) action_rollback ;;
    health) action_health ;;
    stop) action_stop ;;
  esac
}

# Sourcing the script (tests) defines the functions without running anything.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
