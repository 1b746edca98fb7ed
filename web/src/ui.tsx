// Shared pieces of every page: labelled fields, the error of a failed request (with the field it
// names marked), progress, money and page titles.
import { useEffect, useId, useState, type ChangeEvent, type ReactNode } from "react";
import { ApiError } from "./api";

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Seedcast`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  placeholder?: string;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  maxLength?: number;
  list?: string;
  min?: string;
  max?: string;
  step?: string;
}

// A visible label above its input; the hint and the error are tied to it for screen readers.
export function Field(p: FieldProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errorId = p.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: p.name,
    value: p.value,
    required: p.required,
    placeholder: p.placeholder,
    "aria-invalid": p.error ? true : undefined,
    "aria-describedby": described,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => p.onChange(e.target.value),
  };
  return (
    <div className={`field${p.error ? " field-error" : ""}`}>
      <label htmlFor={id}>
        {p.label}
        {p.required && <span aria-hidden="true"> *</span>}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={4} maxLength={p.maxLength} />
      ) : (
        <input
          {...common}
          type={p.type ?? "text"}
          autoComplete={p.autoComplete}
          inputMode={p.inputMode}
          maxLength={p.maxLength}
          list={p.list}
          min={p.min}
          max={p.max}
          step={p.step}
        />
      )}
      {p.hint && (
        <p className="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p className="error-text" id={errorId}>
          {p.error}
        </p>
      )}
    </div>
  );
}

export function Select({
  label,
  name,
  value,
  onChange,
  options,
  error,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly (string | [string, string])[];
  error?: string;
}) {
  const id = useId();
  return (
    <div className={`field${error ? " field-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined}>
        {options.map((o) => {
          const [v, text] = typeof o === "string" ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
      {error && <p className="error-text">{error}</p>}
    </div>
  );
}

// The error of the last request, in a live region, so that it is read out when it appears.
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const wait = error instanceof ApiError && error.retryAfterSeconds > 0 ? ` Try again in ${error.retryAfterSeconds} s.` : "";
  return (
    <div className="note note-error" role="alert">
      {message}
      {wait}
    </div>
  );
}

export function Busy({ label }: { label: string }) {
  return (
    <p className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ProgressBar({ label, value }: { label: string; value: number }) {
  return (
    <div className="progress">
      <label>
        {label}
        <progress max={1} value={Math.max(0, Math.min(1, value))} />
      </label>
    </div>
  );
}

// State of a form's submit: what failed, and on which field.
export function useSubmit(fields: readonly string[]) {
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await action();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) {
        const f = e.fieldAmong(fields);
        if (f) setFieldErrors({ [f]: e.message });
      }
    } finally {
      setBusy(false);
    }
  }
  return { error, fieldErrors, busy, run, setError };
}

export function money(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "—";
  return (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

// A value that follows `value` once it has not changed for `ms`.
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

// A link others typed (a post's address) is shown as a link only when it is http(s).
export function webUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

// A table of labelled bars, each as long as its value against `max` (default: the largest).
export function Bars({ caption, rows, max: scale }: { caption: string; rows: [label: string, value: number, text: string][]; max?: number }) {
  const max = scale ?? Math.max(...rows.map((r) => r[1]), Number.MIN_VALUE);
  return (
    <table className="bars">
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([label, value, text]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>
              <span className="bar" style={{ width: `${(100 * value) / max}%` }} />
              {text}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// "US, GB,  ,DE" → ["US", "GB", "DE"]: what a comma-separated field holds.
export function commaList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}
