// Who is signed in: read from GET /v1/me once, kept in a React context, refreshed on sign-in and
// sign-out. The CSRF token that comes with it goes to api.ts for unsafe requests.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, get, post, setCsrfToken } from "./api";
import type { Me, SignedIn } from "./types";

interface SessionValue {
  me: Me | null;
  loading: boolean;
  refresh: () => Promise<Me | null>;
  // Signs in and answers who is now signed in.
  signIn: (email: string, password: string) => Promise<Me | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const m = await get<Me>("/v1/me");
      setCsrfToken(m.csrf_token ?? "");
      const signedIn = m.kind === "anonymous" ? null : m;
      setMe(signedIn);
      return signedIn;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn("could not read the session", e);
      setCsrfToken("");
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const s = await post<SignedIn>("/v1/auth/signin", { email, password });
      setCsrfToken(s.csrf_token);
      return refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await post("/v1/auth/signout");
    } finally {
      setCsrfToken("");
      setMe(null);
    }
  }, []);

  const value = useMemo(() => ({ me, loading, refresh, signIn, signOut }), [me, loading, refresh, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

export function isBrand(me: Me | null): boolean {
  return !!me && (me.role === "owner" || me.role === "admin" || me.role === "member");
}

export function isOperator(me: Me | null): boolean {
  return !!me && me.role === "operator";
}

export function isCreator(me: Me | null): boolean {
  return !!me && me.role === "creator";
}

// Where a principal starts after signing in.
export function homeOf(me: Me | null): string {
  if (isCreator(me)) return "/creator";
  if (isOperator(me)) return "/operator";
  if (isBrand(me)) return "/campaigns";
  return "/login";
}
