# comake-bot: build with the Rust toolchain, run on slim Debian as a non-root user.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY crates ./crates
COPY commands ./commands
COPY locales ./locales
COPY benches ./benches
# Cargo.toml's build script (it only decides whether the PostgreSQL tests run).
COPY tests/support ./tests/support
RUN cargo build --release --locked --bin comake-bot

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311* \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home comake \
 && mkdir -p /data \
 && chown comake:comake /data
COPY --from=build /src/target/release/comake-bot /usr/local/bin/comake-bot
# /healthz and /metrics on loopback, for HEALTHCHECK. To scrape from outside,
# set HEALTH_ADDR=0.0.0.0:9090 and METRICS_TOKEN (the bot refuses the first
# without the second) and publish the port.
ENV DATABASE_PATH=/data/comake-bot.sled \
    HEALTH_ADDR=127.0.0.1:9090 \
    LOG_FORMAT=json
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/comake-bot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/comake-bot"]
CMD ["run"]
