import { describe, expect, it } from "vitest";
import { maskEmail, maskIdNumber, maskPhone } from "@/lib/people/masking";

describe("masking (R15)", () => {
  it("masks mobile numbers as 138****5678", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });
  it("masks ID numbers keeping the first and last four", () => {
    expect(maskIdNumber("110101199001011234")).toBe("1101**********1234");
  });
  it("masks e-mail local parts", () => {
    expect(maskEmail("zhang.san@example.com")).toBe("z***@example.com");
    expect(maskEmail("张三@例子.中国")).toBe("张***@例子.中国");
  });
  it("never returns the input for short or odd values", () => {
    expect(maskPhone("12345")).toBe("*****");
    expect(maskIdNumber("1234")).toBe("****");
    expect(maskEmail("not-an-email")).toBe("***");
  });
  it("handles empty values", () => {
    expect(maskPhone(null)).toBe("");
    expect(maskEmail(undefined)).toBe("");
    expect(maskIdNumber("")).toBe("");
  });
});
