/* @name ListSettings */
select setting_name as "settingName!",
       setting_value as "settingValue!",
       value_type as "valueType!",
       description as "description!",
       updated_at as "updatedAt!"
  from cx.settings
 order by setting_name;

/* @name UpdateSetting */
update cx.settings
   set setting_value = :settingValue!
 where setting_name = :settingName!
returning setting_name as "settingName!", setting_value as "settingValue!", updated_at as "updatedAt!";
