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
    rollupOptions: {
      // Mantine and TanStack mark their modules "use client" (for React Server Components);
      // bundling drops the directive, as intended, with one warning per module (about 8,000
      // lines). Silence that one so that a real warning is seen.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE" && warning.message.includes("use client")) {
          return;
        }
        warn(warning);
      },
    },
  },
  clearScreen: false,
});
