# syntax=docker/dockerfile:1

# ---- build stage -------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# Resolve dependencies in their own layer so source edits do not re-download them.
# Some plugins resolve lazily, so a failure here is tolerated; `package` fetches the rest.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true

# bpmn/ and forms/ are Maven resource directories (see pom.xml), so they must be in the build.
COPY src ./src
COPY bpmn ./bpmn
COPY forms ./forms
RUN mvn -B -q -DskipTests package

# ---- runtime stage -----------------------------------------------------------
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 nurture \
 && useradd --system --uid 10001 --gid nurture --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin nurture \
 && mkdir -p /app/data \
 && chown nurture:nurture /app/data

WORKDIR /app

# "nurtureflow-*.jar" must end in ".jar", so it does not match the repackager's
# nurtureflow-0.1.0-SNAPSHOT.jar.original. The jar stays root-owned (read-only for the app).
COPY --from=build /build/target/nurtureflow-*.jar /app/nurtureflow.jar

# H2 database and other local state (NURTURE_DATA_DIR). Declared after the chown above so a
# fresh named volume is initialised owned by the nurture user.
VOLUME ["/app/data"]

ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"

EXPOSE 8080

# Numeric uid:gid (= nurture:nurture) so orchestrators can verify runAsNonRoot.
USER 10001:10001

# sh -c expands $JAVA_OPTS; exec makes the JVM PID 1 so it receives SIGTERM on `docker stop`.
# Extra arguments to `docker run <image> ...` are passed on to the application.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/nurtureflow.jar \"$@\"", "--"]
