CREATE TABLE "rate_limit_configs" (
	"id" serial PRIMARY KEY NOT NULL,
	"api_key_id" integer NOT NULL,
	"requests_per_minute" integer,
	"requests_per_hour" integer,
	"requests_per_day" integer,
	"tokens_per_minute" integer,
	"tokens_per_hour" integer,
	"tokens_per_day" integer,
	"burst_limit" integer DEFAULT 100 NOT NULL,
	"concurrency_limit" integer DEFAULT 50 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_limit_configs_positive_check" CHECK (coalesce(requests_per_minute, 1) > 0 and coalesce(requests_per_hour, 1) > 0 and coalesce(requests_per_day, 1) > 0
          and coalesce(tokens_per_minute, 1) > 0 and coalesce(tokens_per_hour, 1) > 0 and coalesce(tokens_per_day, 1) > 0
          and burst_limit > 0 and concurrency_limit > 0)
);
--> statement-breakpoint
ALTER TABLE "rate_limit_configs" ADD CONSTRAINT "rate_limit_configs_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limit_configs_api_key_unique" ON "rate_limit_configs" USING btree ("api_key_id");