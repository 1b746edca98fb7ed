import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { post } from "../api";
import { useSession } from "../session";
import { ErrorNote, Field, Page, useSubmit } from "../ui";

export function SignupPage() {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [kind, setKind] = useState<"brand" | "creator">("brand");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [orgName, setOrgName] = useState("");
  const [name, setName] = useState("");
  const submit = useSubmit(["email", "password", "org_name", "name"]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    await submit.run(async () => {
      const body = kind === "brand" ? { email: email.trim(), password, kind, org_name: orgName.trim() } : { email: email.trim(), password, kind, name: name.trim() };
      await post("/v1/auth/signup", body);
      await refresh();
      navigate(kind === "brand" ? "/campaigns" : "/creator", { replace: true });
    });
  }

  return (
    <Page title="Create an account">
      <form className="card narrow" onSubmit={onSubmit} noValidate>
        <fieldset className="choice">
          <legend>I am</legend>
          <label>
            <input type="radio" name="kind" value="brand" checked={kind === "brand"} onChange={() => setKind("brand")} /> a brand
          </label>
          <label>
            <input type="radio" name="kind" value="creator" checked={kind === "creator"} onChange={() => setKind("creator")} /> a creator
          </label>
        </fieldset>
        {kind === "brand" ? (
          <Field label="Brand or company name" name="org_name" value={orgName} onChange={setOrgName} required error={submit.fieldErrors.org_name} autoComplete="organization" />
        ) : (
          <>
            <Field label="Your name" name="name" value={name} onChange={setName} required error={submit.fieldErrors.name} autoComplete="name" />
            <div className="note">
              <strong>What it takes to join.</strong> Anyone may sign up. To receive products you add at least one social account; each account is reviewed:
              it needs a minimum number of followers and an audience quality score at or above the gate (the score looks for bought followers, engagement
              pods and bot-like audiences). You see each review's reasons on your Accounts page, whether it is pending or refused.
            </div>
          </>
        )}
        <Field label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} required error={submit.fieldErrors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          required
          error={submit.fieldErrors.password}
          hint="At least 12 characters. A phrase of several words is easy to remember; common passwords are refused."
        />
        <ErrorNote error={submit.error} />
        <button type="submit" className="primary" disabled={submit.busy}>
          Create account
        </button>
        <p>
          Already have one? <Link to="/login">Sign in</Link>.
        </p>
      </form>
    </Page>
  );
}
