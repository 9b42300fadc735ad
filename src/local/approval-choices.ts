/** What the person asked for approval does in a rehearsal (`gameday rehearse --approval`). */
export const APPROVAL_CHOICES = ["approve", "reject", "timeout"] as const;
export type ApprovalChoice = (typeof APPROVAL_CHOICES)[number];
