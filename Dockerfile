# Build stage: a release binary with the Swift runtime linked in statically.
FROM swift:6.3-noble AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sluice --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/sluice" /usr/local/bin/sluice

# Runtime stage: the binary, the shipped policies, and a volume for the ledger.
FROM ubuntu:noble
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/sluice --create-home sluice
COPY --from=build /usr/local/bin/sluice /usr/local/bin/sluice
COPY policies /etc/sluice/policies
USER sluice
VOLUME /var/lib/sluice
EXPOSE 8787
ENTRYPOINT ["sluice"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", \
     "--policy", "/etc/sluice/policies/default.yaml", "--ledger", "/var/lib/sluice/ledger.sqlite"]
