import { currentTotp } from "@/lib/auth/totp";
import { DEMO_TOTP_SECRET } from "@/lib/seed/demo-data";
import { scaleTotpSecret } from "@/lib/seed/scale-totp";

// Prints the current code of the demo TOTP secret (demo sign-ins only), or with `--scale <employee no>`
// the code of that account of the `npm run seed:scale` data (docs/benchmarks.md).
const scale = process.argv.indexOf("--scale");
const employeeNo = scale >= 0 ? process.argv[scale + 1] : undefined;
if (scale >= 0 && !employeeNo) {
  console.error("usage: npm run demo:totp -- --scale <employee no>   (e.g. E000003)");
  process.exit(2);
}
const remaining = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${currentTotp(employeeNo ? scaleTotpSecret(employeeNo) : DEMO_TOTP_SECRET)}  (valid for ${remaining} more seconds)`);
