import { currentTotp } from "@/lib/auth/totp";
import { DEMO_TOTP_SECRET } from "@/lib/seed/demo-data";

// Prints the current code of the demo TOTP secret (demo sign-ins only).
const remaining = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${currentTotp(DEMO_TOTP_SECRET)}  (valid for ${remaining} more seconds)`);
