# Runtime image for k8s/: the fat jar on a JRE, as a non-root user, read-only root filesystem friendly
# (writable paths are /tmp and /data, both volumes in the Deployment).
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --user-group --no-create-home gateway
COPY target/greenpledge-gateway.jar /app/greenpledge-gateway.jar
USER 10001:10001
EXPOSE 8080 5701
ENTRYPOINT ["java", "-jar", "/app/greenpledge-gateway.jar"]
CMD ["serve"]
