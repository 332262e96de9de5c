# The Cool Room images, from one multi-stage build:
#   docker build --target emulator   -t coolroom/emulator .   # S3 + Lambda + API Gateway on :4566
#   docker build --target coolroom   -t coolroom/cli .        # the CLI: app, deploy, destroy, secrets
#   docker build --target lambda-zip -o dist .                # writes dist/lambda.zip (the data service)
# Base images are build arguments so they can be pinned by digest or mirrored;
# scripts/docker-offline makes stand-ins where no registry is reachable.
# No `# syntax=` line: the engine's built-in Dockerfile frontend (which knows
# RUN --mount) is used, so building needs no frontend image from a registry.
ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/coolroom ./cmd/coolroom && \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/emulator ./cmd/emulator
# The Lambda is built for the architecture it will run on: the emulator runs
# it directly, LocalStack in a container on the same Docker host.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    COOLROOM_LAMBDA_ARCH=$TARGETARCH go run ./cmd/coolroom package -o /out/lambda.zip && \
    mkdir -p /out/secrets

FROM scratch AS lambda-zip
COPY --from=build /out/lambda.zip /lambda.zip

FROM ${RUNTIME_IMAGE} AS emulator
COPY --from=build /out/emulator /usr/local/bin/emulator
# Other containers reach the emulator by these names (compose service "aws",
# the testcontainers/LocalStack alias "localstack"); the emulator refuses
# other Host names. Override when you give it another name.
ENV COOLROOM_EMULATOR_ADDR=0.0.0.0:4566 COOLROOM_EMULATOR_HOSTS=aws,localstack
EXPOSE 4566
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/emulator"]

FROM ${RUNTIME_IMAGE} AS coolroom
COPY --from=build /out/coolroom /usr/local/bin/coolroom
COPY --from=build /out/lambda.zip /opt/coolroom/lambda.zip
# The secrets volume is mounted here; owned by nonroot so `coolroom secrets` can write it.
COPY --from=build --chown=65532:65532 /out/secrets /run/coolroom
ENV COOLROOM_LAMBDA_ZIP=/opt/coolroom/lambda.zip COOLROOM_APP_ADDR=0.0.0.0:8000
EXPOSE 8000
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/coolroom"]
CMD ["app"]
