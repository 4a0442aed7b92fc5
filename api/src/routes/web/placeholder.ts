/** Shown at / when WEB_DIST_DIR holds no built PWA (API-only runs, development). */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Phytodiag</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d3b24}code{background:#eef3ee;padding:.1rem .3rem}</style>
</head>
<body>
<h1>Phytodiag</h1>
<p>L'API fonctionne, mais l'application web n'est pas encore construite.</p>
<p>Construisez-la avec <code>npm run build</code>, puis rechargez cette page.</p>
<p><a href="/api/docs">Documentation de l'API</a> · <a href="/api/health">État du service</a></p>
</body>
</html>
`;
