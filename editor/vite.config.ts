import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `kuryr start` serves dist/ and the API from one origin, so the bundle uses relative URLs.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
