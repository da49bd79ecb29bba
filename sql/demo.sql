/* @name DemoState */
select not exists (select 1 from cx.customer_interactions) and not exists (select 1 from cx.customers) as "empty!",
       exists (select 1 from cx.agents where agent_code = :chatBotCode!)
         and cx.setting('demo_loaded_at') is null as "unfinishedDemo!";

/* @name MarkDemoLoaded */
insert into cx.settings (setting_name, setting_value, value_type, description)
values ('demo_loaded_at', now()::text, 'text', 'When carepulse start finished loading the demo dataset.')
returning setting_value as "loadedAt!";
