-- wrk script: non-streaming chat completion, 16 output tokens
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello, how are you today?"}],"max_tokens":16}'
