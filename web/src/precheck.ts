// The compliance pre-check the creator sees while typing and the brand sees before verifying:
// POST /v1/compliance/check with the parts of the campaign verification checks a post against.
import { request } from "./api";
import type { Finding } from "./types";

export interface CampaignTerms {
  compensation?: unknown;
  jurisdiction?: unknown;
  deliverables?: unknown;
  timeline?: unknown;
  removal_window_days?: unknown;
  brief?: unknown;
}

export interface PostDraft {
  caption: string;
  url?: string;
  platform?: string;
  media?: string[];
  posted_at?: string;
}

// The disclosure relationship a campaign's compensation asks for.
export function relationshipOf(compensation: unknown): string {
  if (compensation === "affiliate") return "affiliate";
  if (compensation === "gifted") return "gifted_required";
  return "paid";
}

export function postOf(terms: CampaignTerms, draft: PostDraft): Record<string, unknown> {
  return { ...draft, relationship: relationshipOf(terms.compensation) };
}

export async function precheck(terms: CampaignTerms, draft: PostDraft, signal?: AbortSignal): Promise<Finding[]> {
  const campaign: Record<string, unknown> = {};
  for (const k of ["deliverables", "timeline", "removal_window_days"] as const) if (terms[k] !== undefined && terms[k] !== null) campaign[k] = terms[k];
  const avoid = (terms.brief as { claims_to_avoid?: string[] } | null | undefined)?.claims_to_avoid;
  if (avoid) campaign.brief = { claims_to_avoid: avoid };
  const body = { jurisdiction: (terms.jurisdiction as string) || "us", campaign, post: postOf(terms, draft) };
  const answer = await request<{ verdicts: { findings: Finding[] }[] }>("POST", "/v1/compliance/check", { body, signal });
  return answer.verdicts[0]?.findings ?? [];
}
