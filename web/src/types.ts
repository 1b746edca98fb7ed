// The server's JSON shapes the web app reads (docs/openapi.json is the contract).

export type Role = "operator" | "creator" | "owner" | "admin" | "member";

export interface User {
  id: number;
  email: string;
  role: Role;
  org_id: number | null;
  creator_id: number | null;
  email_verified: boolean;
}

export interface Me {
  principal: string;
  kind: string;
  role: Role;
  org_id: number | null;
  creator_id: number | null;
  can_write: boolean;
  user?: User;
  csrf_token?: string;
}

export interface SignedIn {
  user: User;
  session_id: number;
  csrf_token: string;
  expires_at: string;
}

export interface SearchHit {
  creator_id: number;
  account_id: number;
  handle: string;
  platform: string;
  followers: number;
  engagement_rate: number;
  tier: string;
  score: number;
  reasons: string[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchAnswer {
  total: number;
  results: SearchHit[];
  facets?: Record<string, FacetValue[]>;
  took_ms: number;
}

export interface AuditEntry {
  from: string;
  to: string;
  actor: string;
  reason: string;
  at: string;
}

export interface Assignment {
  id: number;
  campaign_id: number;
  creator_id: number;
  account_id: number;
  state: string;
  p_complete: number;
  due_at: string | null;
  audit?: AuditEntry[];
  campaign_name?: string;
}

export interface CampaignSummary {
  id: number;
  name: string;
  status: string;
  target_posts: number;
  completed: number;
  units_used: number;
}

export interface CampaignDetail {
  id: number;
  brand_id: number;
  product_id: number;
  name: string;
  status: string;
  goal: string;
  compensation: string;
  fulfilment: string;
  target_posts: number;
  confidence: number;
  fee_cents_per_post: number;
  payout_cents_per_post: number;
  budget_cents: number | null;
  spec: Record<string, unknown>;
  assignments: Assignment[];
}

export interface Report {
  campaign_id: number;
  name: string;
  target_posts: number;
  confidence: number;
  completed: number;
  guarantee_held: boolean;
  states: Record<string, number>;
  units_used: number;
  units_left: number;
  invoiced_cents: number;
  reimbursement_billed_cents: number;
  reimbursed_to_creators_cents: number;
  creator_pay_cents: number;
  cost_per_completed_post_cents: number | null;
  ledger_imbalance_cents: number;
}

export interface LedgerEntry {
  account: string;
  amount_cents: number;
}

export interface LedgerTransaction {
  id: number;
  idempotency_key: string;
  kind: string;
  assignment_id: number | null;
  memo: string;
  at: string;
  entries: LedgerEntry[];
}

export interface Product {
  id: number;
  brand_id: number;
  name: string;
  sku: string;
  price_cents: number;
  units_available: number;
  niche: string;
}

export interface MyAccount {
  account_id: number;
  creator_id: number;
  platform: string;
  handle: string;
  followers: number;
  quality_score: number | null;
  status: string;
  gate_passed: boolean;
  reasons: string[];
}

export interface Review extends MyAccount {}

export interface EarningLine {
  campaign_id: number;
  assignment_id: number;
  kind: string;
  amount_cents: number;
  at: string;
}

export interface Earnings {
  owed_cents: number;
  lines: EarningLine[];
}

export interface Contact {
  email: string;
  phone: string;
  address: string;
}

export interface Finding {
  rule?: string;
  severity?: string;
  message?: string;
  fix?: string;
  [key: string]: unknown;
}

export interface Verdict {
  compliant?: boolean;
  status?: string;
  findings?: Finding[];
  [key: string]: unknown;
}
