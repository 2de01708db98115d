# One image for every Vikno service; docker-compose.yml picks the entry point per service.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev && mkdir -p .vikno && chown node:node .vikno
ENV HOST=0.0.0.0 NODE_ENV=production
USER node
