import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { homeOf, useSession } from "../session";
import { ErrorNote, Field, Page, useSubmit } from "../ui";

// Only a path of this site, never another origin, is followed after sign-in.
function safeNext(next: string | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

export function LoginPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // A failed sign-in names no field: it does not say which of the two was wrong.
  const submit = useSubmit([]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    await submit.run(async () => {
      const me = await signIn(email.trim(), password);
      navigate(safeNext(params.get("next")) ?? homeOf(me), { replace: true });
    });
  }

  return (
    <Page title="Sign in">
      <form className="card narrow" onSubmit={onSubmit} noValidate>
        <Field label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} required error={submit.fieldErrors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          required
          error={submit.fieldErrors.password}
        />
        <ErrorNote error={submit.error} />
        <button type="submit" className="primary" disabled={submit.busy}>
          Sign in
        </button>
        <p>
          New here? <Link to="/signup">Create an account</Link>, as a brand or as a creator.
        </p>
      </form>
    </Page>
  );
}
