# One image for every Vikno service; docker-compose.yml picks the entry point (node dist/…/main.js)
# per service. Node 24 is the active LTS line (Node 20 left support in April 2026).
#
#   build  all dependencies, compiles TypeScript to dist/
#   deps   production dependencies only
#   run    dist/ and the files the services read at run time, as the unprivileged user `node`

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts stay off, as package.json's allowScripts says for npm 11 (none is needed).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim AS run
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: the memorandum, the SDL and the supergraph, the registered operations.
COPY --from=build /app/package.json /app/memorandum.yaml ./
COPY --from=build /app/schema ./schema
COPY --from=build /app/docs/operations ./docs/operations
# The console's and the citizen page's pages and styles (their modules are in dist/web/).
COPY --from=build /app/web ./web
# The trail's checkpoints (a volume in compose) belong to the user the services run as; the image
# itself is read-only to it, and holds no .vikno/ (no development key, no embedded trail).
RUN mkdir -p /var/lib/vikno/checkpoints && chown -R node:node /var/lib/vikno
USER node
# A service is healthy when its own /healthz answers 200 (slim images have no curl).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/gateway/main.js"]
