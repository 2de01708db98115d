import path from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';
import { projectRoot } from '../domain/project-root.js';
import { ALL_SCOPES } from '../identity/principal.js';

/** The browser pages the gateway serves, each a folder of web/ (compiled into dist/web/web/). */
export const WEB_APPS = ['console', 'portal'] as const;
export type WebApp = (typeof WEB_APPS)[number];

/**
 * Where a page signs in: the OpenID issuer (its discovery document at
 * `<issuer>/.well-known/openid-configuration`), the page's client id there, and the scopes it asks
 * for. Served as `/<app>/config.json`.
 */
export interface PageSignIn {
  issuer: string;
  clientId: string;
  scope: string;
}

/** The scopes each page asks for: the console every staff scope (the issuer grants what the account has), the citizen page none. */
export const PAGE_SCOPES: Readonly<Record<WebApp, string>> = Object.freeze({
  console: ['openid', ...ALL_SCOPES].join(' '),
  portal: 'openid',
});

export function pageSignIn(issuer: string, clientIds: Readonly<Record<WebApp, string>>): Record<WebApp, PageSignIn> {
  return Object.fromEntries(WEB_APPS.map((app) => [app, { issuer, clientId: clientIds[app], scope: PAGE_SCOPES[app] }])) as Record<WebApp, PageSignIn>;
}

/**
 * Browser libraries the pages import by bare name (an import map in each page's <head>), served
 * as their packages ship them: no bundler, nothing from another host.
 */
const VENDOR: Readonly<Record<string, string>> = Object.freeze({
  'oauth4webapi.js': path.join('node_modules', 'oauth4webapi', 'build', 'index.js'),
});

/**
 * The pure domain modules the pages share with the server (web/tsconfig.json includes them), served
 * compiled at /domain/ where the pages' relative imports (`../../domain/x.js`) land.
 */
export const SHARED_DOMAIN_MODULES = ['identifiers.js'] as const;

/**
 * The staff console (/console/) and the citizen page (/portal/): static files only, the same
 * origin as /graphql, so the pages need no CORS and ask no other host. Pages and styles come from
 * web/, their compiled modules from dist/web/web/ (`tsc -p web`, part of `npm run build`). Compressed,
 * and revalidated on every load (no-cache): a new release is never mixed with an old module.
 */
const SOURCE_ASSET = /\.(html|css|svg|png|ico|woff2)$/;

export function webPages(root = projectRoot(), signIn?: Readonly<Record<WebApp, PageSignIn>>): Router {
  const router = express.Router();
  const folders = [...WEB_APPS, 'shared', 'generated'];
  // The pages' files only: /graphql answers are not compressed here (their Vary stays as it is).
  router.use([...folders, 'domain'].map((folder) => `/${folder}`), compression());
  const options = { index: 'index.html', redirect: true, setHeaders: (res: express.Response) => res.setHeader('cache-control', 'no-cache') };
  for (const app of WEB_APPS) {
    router.get(`/${app}/config.json`, (_req, res) => {
      res.setHeader('cache-control', 'no-store');
      if (!signIn) return void res.status(404).json({ error: 'sign-in is not configured' });
      res.json(signIn[app]);
    });
  }
  for (const [name, file] of Object.entries(VENDOR)) {
    router.get(`/shared/vendor/${name}`, (_req, res, next) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(root, file), { headers: { 'content-type': 'text/javascript; charset=utf-8' } }, (error) => error && next(error));
    });
  }
  // shared: modules both pages use; generated: the typed client (`npm run codegen`).
  for (const folder of folders) {
    const source = express.static(path.join(root, 'web', folder), options);
    router.use(
      `/${folder}`,
      express.static(path.join(root, 'dist', 'web', 'web', folder), options),
      // From the sources only what the browser takes as it is: never the TypeScript.
      (req, res, next) => (req.path.endsWith('/') || SOURCE_ASSET.test(req.path) ? source(req, res, next) : next()),
    );
  }
  const domain = express.static(path.join(root, 'dist', 'web', 'domain'), options);
  router.use('/domain', (req, res, next) => ((SHARED_DOMAIN_MODULES as readonly string[]).includes(req.path.slice(1)) ? domain(req, res, next) : next()));
  return router;
}
