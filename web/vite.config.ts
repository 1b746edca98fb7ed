// Builds the web app into dist/, which `seedcast serve` serves. In development, `npx vite` proxies
// the API to a server on 127.0.0.1:8080 (or $SEEDCAST_API).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const api = process.env.SEEDCAST_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false, chunkSizeWarningLimit: 400 },
  server: {
    host: "127.0.0.1",
    proxy: { "/v1": api, "/metrics": api },
  },
  preview: {
    host: "127.0.0.1",
    proxy: { "/v1": api, "/metrics": api },
  },
});
