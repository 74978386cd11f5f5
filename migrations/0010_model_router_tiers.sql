CREATE TABLE "router_decisions" (
	"request_id" text PRIMARY KEY NOT NULL,
	"router_model" text NOT NULL,
	"router" text NOT NULL,
	"mode" text NOT NULL,
	"category" text NOT NULL,
	"complexity" text NOT NULL,
	"confidence" numeric(3, 2) NOT NULL,
	"tier" integer NOT NULL,
	"candidates" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "router_tiers" (
	"id" serial PRIMARY KEY NOT NULL,
	"router" text NOT NULL,
	"tier" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"models" text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "router_tiers_router_check" CHECK (router in ('code', 'general')),
	CONSTRAINT "router_tiers_tier_check" CHECK (tier between 1 and 4),
	CONSTRAINT "router_tiers_models_check" CHECK (cardinality(models) between 1 and 10)
);
--> statement-breakpoint
CREATE INDEX "router_decisions_created_idx" ON "router_decisions" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "router_tiers_router_tier_unique" ON "router_tiers" USING btree ("router","tier");--> statement-breakpoint
-- Default tiers (editable with PUT /code-router/tiers/{id}). Ids as a client would send them; the first
-- candidate that is routable on this gateway and allowed for the key answers.
INSERT INTO "router_tiers" ("router", "tier", "name", "description", "models") VALUES
	('code', 1, 'Premium', 'Architecture, agentic and hard debugging work', ARRAY['anthropic/claude-opus-4', 'openai/o3', 'google/gemini-2.5-pro']),
	('code', 2, 'Advanced', 'Everyday coding: debugging, generation, review, refactoring', ARRAY['anthropic/claude-sonnet-4', 'openai/gpt-4.1', 'google/gemini-2.5-pro']),
	('code', 3, 'Standard', 'Small, well-specified code tasks', ARRAY['openai/gpt-4.1-mini', 'deepseek/deepseek-chat', 'google/gemini-2.5-flash']),
	('code', 4, 'Budget', 'Trivial snippets and questions about code', ARRAY['openai/gpt-4o-mini', 'google/gemini-2.5-flash-lite', 'deepseek/deepseek-chat']),
	('general', 1, 'Premium', 'Hard reasoning and long analytical questions', ARRAY['openai/o3', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-pro']),
	('general', 2, 'Advanced', 'Reasoning, analysis and longer writing', ARRAY['openai/gpt-4.1', 'anthropic/claude-3.5-haiku', 'google/gemini-2.5-flash']),
	('general', 3, 'Standard', 'Everyday questions and creative writing', ARRAY['openai/gpt-4.1-mini', 'google/gemini-2.5-flash', 'deepseek/deepseek-chat']),
	('general', 4, 'Budget', 'Greetings and short chat', ARRAY['openai/gpt-4o-mini', 'google/gemini-2.5-flash-lite', 'groq/llama-3.1-8b-instant']);
