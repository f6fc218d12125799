# Sourced by ./llmlab, ./build and .ci/run: finds a JDK >= 21 and exports JAVA_HOME, JAVA and
# JAVA_MAJOR. Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
# The version comes from the JDK's `release` file when it has one: starting a JVM just to ask its
# version would cost the launcher about 100 ms per candidate.
llmlab_java_major() {
  local home version
  home=$(dirname "$(dirname "$1")")
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  fi
  if [ -z "${version:-}" ]; then
    version=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  fi
  version=${version#1.}   # 1.8 -> 8
  echo "${version%%[.+-]*}"
}

llmlab_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  if command -v java >/dev/null 2>&1; then candidates+=("$(readlink -f "$(command -v java)")"); fi
  for c in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(llmlab_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      JAVA="$c"
      JAVA_HOME=$(dirname "$(dirname "$c")")
      JAVA_MAJOR=$major
      export JAVA JAVA_HOME JAVA_MAJOR
      return 0
    fi
  done
  echo "llmlab: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "llmlab: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  return 1
}
