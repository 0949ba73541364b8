# syntax=docker/dockerfile:1
# Multi-stage build: compile and test-free package with the Maven wrapper, then run the layered jar on a JRE
# as a non-root user. Build: docker build -t itembank .

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY db/ db/
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/itembank-*.jar extract --layers --launcher --destination target/extracted

FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 itembank \
 && useradd --system --uid 10001 --gid itembank --home-dir /app itembank \
 && mkdir -p /app/data \
 && chown -R itembank:itembank /app
WORKDIR /app
COPY --from=build /src/target/extracted/dependencies/ ./
COPY --from=build /src/target/extracted/spring-boot-loader/ ./
COPY --from=build /src/target/extracted/snapshot-dependencies/ ./
COPY --from=build /src/target/extracted/application/ ./
USER 10001:10001
# Without SPRING_DATASOURCE_URL the embedded PostgreSQL keeps its data here (mount a volume).
ENV ITEMBANK_DATABASE_EMBEDDED_DATADIRECTORY=/app/data/postgres \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /app/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
