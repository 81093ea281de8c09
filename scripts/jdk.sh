# Sourced by Hopseal's scripts: exports JAVA_HOME pointing at a JDK >= 21, or fails with a clear message.
# Order: $JAVA_HOME if it qualifies, then the newest JDK under /usr/lib/jvm.
hopseal_jdk_version() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
hopseal_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(hopseal_jdk_version "$JAVA_HOME")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(hopseal_jdk_version "$d")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "hopseal: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm)." >&2
    echo "hopseal: install one (e.g. Temurin 21+) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
hopseal_pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
