import { defineConfig } from "vite";

// The UI is embedded into the desktop binary from ui/dist; there is no dev server in the loop.
export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    chunkSizeWarningLimit: 2000,
  },
  clearScreen: false,
});
