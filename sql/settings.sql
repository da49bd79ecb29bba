/* @name ListSettings */
select setting_name as "settingName!",
       setting_value as "settingValue!",
       value_type as "valueType!",
       description as "description!",
       updated_at as "updatedAt!"
  from cx.settings
 order by setting_name;

/* @name UpdateSetting */
select s.setting_name as "settingName!", s.setting_value as "settingValue!", s.updated_at as "updatedAt!"
  from cx.change_settings(array[:settingName!::text], array[:settingValue!::text]) s;
