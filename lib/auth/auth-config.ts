import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { inTransaction } from "@/lib/db";
import { getRequestContext } from "@/lib/http/request-context";
import { issueSession } from "./issue-session";

declare module "next-auth" {
  interface Session {
    sid?: string;
  }
}

// Auth.js carries only the portal session id in its encrypted JWT cookie. Everything that decides
// whether the session is still good (revocation, idle and absolute timeouts, account status) is
// checked against the portal_session row on every request: see lib/auth/sessions.ts.
export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 72 * 3600 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      id: "ticket",
      credentials: { ticket: {} },
      async authorize(credentials) {
        const ticket = typeof credentials?.ticket === "string" ? credentials.ticket : undefined;
        if (!ticket) return null;
        const ctx = await getRequestContext();
        const sid = await inTransaction((tx) => issueSession(tx, ctx, ticket));
        return sid ? { id: sid } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sid = user.id;
      return token;
    },
    session({ session, token }) {
      session.sid = typeof token.sid === "string" ? token.sid : undefined;
      return session;
    },
  },
});
