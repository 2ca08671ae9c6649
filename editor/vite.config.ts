import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Libraries that change seldom get chunks of their own, so a new editor build leaves them cached.
// CodeMirror is reached only through the lazily loaded JSONata editor.
const vendorChunks = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'xyflow', test: /node_modules[\\/](@xyflow|d3-[a-z-]+|classcat)[\\/]/ },
  {
    name: 'codemirror',
    test: /node_modules[\\/](@codemirror|@lezer|style-mod|w3c-keyname|crelt)[\\/]/,
  },
  { name: 'jsonata', test: /node_modules[\\/]jsonata[\\/]/ },
  {
    name: 'ajv',
    test: /node_modules[\\/](ajv|fast-deep-equal|fast-uri|json-schema-traverse)[\\/]/,
  },
];

// `kuryr start` serves dist/ and the API from one origin, so the bundle uses relative URLs.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: { output: { codeSplitting: { groups: vendorChunks } } },
  },
});
