ALTER TABLE "rate_limit_configs" DROP CONSTRAINT "rate_limit_configs_positive_check";--> statement-breakpoint
ALTER TABLE "rate_limit_configs" ALTER COLUMN "concurrency_limit" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limit_configs" ADD CONSTRAINT "rate_limit_configs_positive_check" CHECK (coalesce(requests_per_minute, 1) > 0 and coalesce(requests_per_hour, 1) > 0 and coalesce(requests_per_day, 1) > 0
          and coalesce(tokens_per_minute, 1) > 0 and coalesce(tokens_per_hour, 1) > 0 and coalesce(tokens_per_day, 1) > 0
          and burst_limit > 0 and coalesce(concurrency_limit, 1) > 0);