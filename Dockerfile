# The production image, built from the sources in two stages:
#   docker build -t greenpledge/gateway:0.1.0 .
# Stage 1 builds the production jar (-Pproduction: without the embedded PostgreSQL binaries and
# without the charts' sources and source maps); stage 2 runs it on a JRE as a non-root user, with a
# read-only root filesystem in mind (writable paths: /tmp and /data, volumes in the Deployment).
# The bases are pinned by tag here; pin them by digest (FROM image@sha256:…) in the bank's
# registry at release time: this build machine cannot reach Docker Hub to resolve the digests.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY openapi openapi
COPY asyncapi asyncapi
COPY src src
RUN mvn -B -q -Pproduction package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --user-group --no-create-home gateway
COPY --from=build /src/target/greenpledge-gateway.jar /app/greenpledge-gateway.jar
USER 10001:10001
# 8080 public API and desks, 9464 management (/metrics, /health), 5701 Hazelcast between replicas
EXPOSE 8080 9464 5701
# Readiness on the management port (loopback inside the container unless GP_MANAGEMENT_HOST says
# otherwise); bash's /dev/tcp: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${GP_MANAGEMENT_PORT:-9464} && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/app/greenpledge-gateway.jar"]
CMD ["serve"]
