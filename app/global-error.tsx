"use client";

// The root layout itself failed, so no translations are loaded: both languages, plain HTML.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="zh-CN">
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "6rem 1.5rem" }}>
        <h1>系统出错 · Something went wrong</h1>
        <p>请稍后重试。Please try again in a moment.</p>
        <button type="button" onClick={reset}>
          重试 · Retry
        </button>
      </body>
    </html>
  );
}
