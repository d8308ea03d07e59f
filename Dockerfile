# syntax=docker/dockerfile:1
FROM rust:1.85-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin comake-bot

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311* \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data comake
COPY --from=build /src/target/release/comake-bot /usr/local/bin/comake-bot
USER comake
ENV DATABASE_PATH=/data/comake-bot.sled
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/comake-bot"]
