# Sourced by the scripts: JDK 25 and Maven flags. Override the JDK with AFFECT_JAVA_HOME.
export JAVA_HOME="${AFFECT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "affect: JDK 25 not found at $JAVA_HOME (set AFFECT_JAVA_HOME)" >&2
  exit 2
fi
export PATH="$JAVA_HOME/bin:$PATH"
AFFECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tensors live off-heap and the hot path allocates nothing, so a small young generation is enough;
# the default one (a quarter of RAM) only inflates resident memory with load-time garbage.
AFFECT_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn16m)
MVN=(mvn -B -ntp)

# Builds (skipping tests) when any source is newer than the jar of the given module.
affect_build_if_stale() {
  local module="$1" jar
  jar="$(ls "$AFFECT_ROOT/$module"/target/*.jar 2>/dev/null | head -1 || true)"
  if [[ -z "$jar" || ! -f "$AFFECT_ROOT/$module/target/classpath.txt" ]] \
     || [[ -n "$(find "$AFFECT_ROOT" \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.proto' \) -newer "$jar" -not -path '*/target/*' -print -quit)" ]]; then
    (cd "$AFFECT_ROOT" && "${MVN[@]}" -q -DskipTests -pl "$module" -am install >&2)
  fi
}

affect_classpath() {
  local module="$1"
  echo "$(ls "$AFFECT_ROOT/$module"/target/*.jar | head -1):$(cat "$AFFECT_ROOT/$module/target/classpath.txt")"
}
