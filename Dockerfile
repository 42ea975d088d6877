# syntax=docker/dockerfile:1
# One image for api, worker, migrate and github-sim (docker-compose.yml picks the command).
#   docker build -t cambrian .
#   docker run --rm -e DATABASE_URL=... -e REDIS_URL=... cambrian node dist/apps/worker/src/main.js

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, compile TypeScript, then drop the dev dependencies -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NPM_CONFIG_AUDIT=false NPM_CONFIG_FUND=false NPM_CONFIG_UPDATE_NOTIFIER=false

# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .
RUN npm run build \
 && npm prune --omit=dev

# --- runtime: compiled code and production dependencies only, as a non-root user ------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app

# package.json is needed at run time: its "imports" map resolves #libs/* to dist/libs/*.
# Files stay owned by root and read-only to the app user.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
