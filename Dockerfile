# syntax=docker/dockerfile:1
# The tracking server's image (README "Tracking service"): `npm run deploy` builds it for linux/arm64 (Fargate
# Graviton) and pushes it to the stack's ECR repository. Stage 1 bundles src/server/tracking/main.ts with its
# dependencies into one file; stage 2 is Node 24 with that file only: no npm, no node_modules, no sources.

# The bundle is plain JavaScript: build it on the builder's own platform (no emulation), whatever the target.
FROM --platform=$BUILDPLATFORM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no install scripts run (the pinned `node` package would download a second Node, the local
# cloud's packages their servers); esbuild's platform binary is an optional dependency and still installed.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-tracker.ts scripts/
COPY src src
# What `npm run build:tracker` runs, on this image's Node 24 (npm run would look for the pinned `node` package's binary first).
RUN node scripts/build-tracker.ts

FROM node:24-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /src/dist/tracker/server.mjs ./server.mjs
# The image's unprivileged user; the task definition also runs it with a read-only root file system (the server
# writes nothing: logs go to stdout).
USER node
EXPOSE 8080
# Node is PID 1 and handles SIGTERM itself (src/server/tracking/main.ts drains, then exits).
CMD ["node", "/app/server.mjs"]
