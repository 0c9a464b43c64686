import { useEffect } from "react";
import { api } from "./api";

/** Tells the backend the person signed in is at the window (a key press, a click, a scroll),
 * at most once a minute, so their session locks only after real idle time. */
export function useActivity(signedIn: boolean) {
  useEffect(() => {
    if (!signedIn) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < 60_000) return;
      last = now;
      api.touchSession().catch(() => undefined);
    };
    const events = ["keydown", "pointerdown", "wheel"] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [signedIn]);
}
