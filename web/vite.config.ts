import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const API = process.env.PHYTODIAG_API ?? 'http://127.0.0.1:18090';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false, // src/pwa/register-sw.ts does it (update prompt + outbox guard)
      injectManifest: {
        // The app shell, the worker chunk (tfjs) and the tfjs WASM binaries: offline from visit 1.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,wasm}'],
        // tfjs's worker chunk and WASM files exceed Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 12 * 1024 * 1024,
      },
      manifest: {
        id: '/',
        name: 'Phytodiag — diagnostic phytosanitaire au champ',
        short_name: 'Phytodiag',
        description:
          'Photographiez une plante malade, un insecte ou une mauvaise herbe : diagnostic sur l’appareil, même hors ligne, et un spécialiste à portée de main.',
        lang: 'fr-CA',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0a5c1f',
        categories: ['productivity', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0, // never inline the .wasm files as data: URLs
  },
  server: {
    port: 18091,
    strictPort: true,
    headers: {
      // Same isolation as the API in production, so WASM threads are testable in dev.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
    proxy: {
      '/api': API,
      '/images': API,
      '/models': API,
    },
  },
});
