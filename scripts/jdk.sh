# Sourced by ./llmlab, ./build and .ci/run: finds a JDK >= 21 and exports JAVA_HOME and JAVA.
# Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
llmlab_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

llmlab_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  if command -v java >/dev/null 2>&1; then candidates+=("$(readlink -f "$(command -v java)")"); fi
  for c in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(llmlab_java_major "$c")
    major=${major%%.*}
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      JAVA="$c"
      JAVA_HOME=$(dirname "$(dirname "$c")")
      export JAVA JAVA_HOME
      return 0
    fi
  done
  echo "llmlab: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "llmlab: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  return 1
}
