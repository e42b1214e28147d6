# syntax=docker/dockerfile:1
# The Node version matches the "node" devDependency in package.json (a test checks that they agree).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# 1. Build: all dependencies, TypeScript -> dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the image already has the pinned Node, the "node" package's binary is not needed here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only, without type declarations, source maps and docs.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' \) -delete \
 && npm cache clean --force

# 3. Runtime: no npm scripts, no shell entrypoint; node is PID 1 and handles SIGTERM itself (graceful shutdown).
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
# The image's unprivileged "node" user (uid 1000); files stay owned by root and read-only to it.
USER 1000:1000
EXPOSE 3000
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--optimize-for-size", "dist/main.js"]
