# Sluice in a container: a release build with the Swift runtime linked in statically, on plain
# Ubuntu, run by an unprivileged user whose home (ledger, user hash key, spool files) is a volume.
#
#   docker build -t sluice .
#   docker run -p 8787:8787 -v sluice-data:/var/lib/sluice sluice
#
# deploy/compose.yaml runs two of these on one PostgreSQL ledger behind nginx. The README's Docker
# section has the rest. Tests/sdk/test_docker_files.py checks that this file copies everything the
# build and the shipped policies need, and that .dockerignore keeps none of it out.

# ---- Build stage --------------------------------------------------------------------------------
FROM swift:6.3-noble AS build
WORKDIR /src

# The dependencies first, in a layer of their own, fetched again only when the manifest changes.
# `Package.*` also takes a Package.resolved when the build context has one (it is not committed).
COPY Package.* ./
RUN swift package resolve

# Everything `--product sluice` compiles, and the test targets' directories too: loading the
# manifest checks that every declared target's directory (and the Fixtures resources) exists, even
# when only the product is built. The backtracer makes a crash print a readable stack.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sluice --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/sluice" /staging/sluice \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/swift-backtrace-static

# ---- Runtime stage ------------------------------------------------------------------------------
FROM ubuntu:noble
# ca-certificates for TLS to the providers, tzdata for time zones, curl for the HEALTHCHECK below.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /var/lib/sluice --create-home --shell /usr/sbin/nologin sluice
COPY --from=build /staging/sluice /usr/local/bin/sluice
COPY --from=build /staging/swift-backtrace-static /usr/local/libexec/swift/swift-backtrace-static
# The shipped policies keep their layout: they name prices.yaml and models/ relative to themselves.
COPY policies /etc/sluice/policies

# HOME is where a postgres:// ledger spools while the database is down (~/.sluice), so it is the
# volume, with the SQLite ledger of the default command.
ENV HOME=/var/lib/sluice \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/libexec/swift/swift-backtrace-static
USER sluice
WORKDIR /var/lib/sluice
VOLUME /var/lib/sluice
EXPOSE 8787
# The port of the default command: give `--health-cmd` too when you serve on another one.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["curl", "--fail", "--silent", "--show-error", "--output", "/dev/null", "http://127.0.0.1:8787/healthz"]
ENTRYPOINT ["sluice"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", \
     "--policy", "/etc/sluice/policies/default.yaml", "--ledger", "/var/lib/sluice/ledger.sqlite"]
