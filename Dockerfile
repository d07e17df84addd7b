# Multi-stage image. The default target (the last stage, `app`) is the middleware for every role (APP_ROLE chooses
# what a container runs): built from src/ only, it holds no test, script or simulator code. The `tools` target holds
# the simulated sandbox ERP (and the vendor simulators) for docker-compose's `sandbox-erp` service:
#   docker build -t erp-sync .                      # the app
#   docker build --target tools -t erp-sync-tools . # the sandbox ERP, a simulation for demos and tests
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM deps AS tools-build
COPY tsconfig.json tsconfig.tools.json ./
COPY src ./src
COPY scripts ./scripts
COPY test ./test
RUN npm run build:tools && npm prune --omit=dev

FROM node:20-bookworm-slim AS tools
ENV NODE_ENV=production NODE_PATH=/app/dist-tools
WORKDIR /app
COPY --from=tools-build /app/node_modules ./node_modules
COPY --from=tools-build /app/dist-tools ./dist-tools
COPY package.json ./
USER node
EXPOSE 4010
CMD ["node", "dist-tools/scripts/sandbox-erp.js"]

FROM node:20-bookworm-slim AS app
ENV NODE_ENV=production NODE_PATH=/app/dist
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "--max-old-space-size=1024", "--expose-gc", "dist/src/main.js"]
