/** Public, unauthenticated pages: security.txt (instance and projects) and SECURITY.md. */
export { createPublicService, type PublicDeps, type PublicService } from './public.service.js';
export { registerPublicRoutes, type PublicRoutesDeps } from './public.routes.js';
export { renderSecurityTxt, type SecurityTxtFields } from './security-txt.js';
