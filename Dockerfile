# kiemdinh in a container: the binary, Debian's Chromium and chromedriver for the browser
# probe, and fonts with full Vietnamese coverage. Build from the repository root:
#
#   docker build -t kiemdinh .
#   docker run --rm -v "$PWD:/work" kiemdinh assess --scenario scenarios/my-portal.toml --out out
#   docker run --rm -v "$PWD:/work" kiemdinh load --scenario portal.toml --out out/load
#
# The image is also the worker of deploy/kubernetes/load-job.yaml (see deploy/README.md).
#
# The availability monitor alone (no browser, a smaller image) is the `monitor` target:
#
#   docker build --target monitor -t kiemdinh-monitor .
#   docker run -d --restart=always --name kiemdinh-monitor \
#     -v "$PWD/scenarios:/scenarios:ro" -v kiemdinh-data:/data kiemdinh-monitor

# ---- build: the official Rust image on the same Debian release as the runtime
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin kiemdinh \
 && strip target/release/kiemdinh

# ---- monitor: `kiemdinh monitor` over every scenario of /scenarios into /data/kiemdinh.db
FROM debian:bookworm-slim AS monitor
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 kiemdinh && install -d -o kiemdinh -m 0750 /data
COPY --from=build /src/target/release/kiemdinh /usr/local/bin/kiemdinh
USER kiemdinh
WORKDIR /data
VOLUME ["/data"]
ENV NO_COLOR=1
# `docker stop` sends SIGTERM: the probes in flight finish, then exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["kiemdinh", "monitor", "--db", "/data/kiemdinh.db"]
CMD ["--scenario", "/scenarios", "--interval", "60s"]

# ---- runtime (the default target: keep it last)
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium chromium-driver ca-certificates fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*
# An unprivileged user; Chromium runs with --no-sandbox as the browser probe always does.
RUN useradd --create-home --uid 10001 kiemdinh
COPY --from=build /src/target/release/kiemdinh /usr/local/bin/kiemdinh
USER kiemdinh
WORKDIR /work
# No progress bar in logs.
ENV CI=1
ENTRYPOINT ["kiemdinh"]
CMD ["--help"]
